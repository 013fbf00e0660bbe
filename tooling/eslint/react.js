// The shared rules plus React's: hooks, components and JSX accessibility (for apps/web).
import eslintReact from "@eslint-react/eslint-plugin";
import jsxA11y from "eslint-plugin-jsx-a11y-x";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";
import base from "./base.js";

export default tseslint.config(...base, {
  files: ["**/*.tsx"],
  extends: [eslintReact.configs["recommended-type-checked"], reactHooks.configs.flat.recommended, jsxA11y.configs.recommended],
});
