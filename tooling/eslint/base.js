// Shared lint rules for every workspace package: strict, type-aware typescript-eslint.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/generated/**", "**/node_modules/**", "**/.turbo/**", "**/dist/**"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      // Config files at package roots sit outside the packages' tsconfig.
      parserOptions: { projectService: { allowDefaultProject: ["*.js"] } },
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
);
