// Shared lint rules for the workspace's TypeScript: strict, type-aware typescript-eslint.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  { ignores: ["**/generated/**", "**/node_modules/**", "**/.turbo/**", "**/dist/**"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      // Each file is typed by its nearest tsconfig; the config files in JavaScript belong to none.
      parserOptions: { projectService: { allowDefaultProject: ["*.js", "tooling/*/*.js", "tooling/*/*.cjs"] } },
    },
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "es-toolkit",
              message:
                "Import the one function's module (es-toolkit/array/chunk): the barrel loads 223 modules, ~16 MB of every process's memory.",
            },
          ],
        },
      ],
    },
  },
  // CommonJS config files (dependency-cruiser's), whose `module` typescript-eslint's defaults do not know.
  { files: ["**/*.cjs"], languageOptions: { sourceType: "commonjs" } },
);
