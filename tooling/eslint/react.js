// React's rules for components: hooks, components and JSX accessibility (apps/web).
import { defineConfig } from "eslint/config";
import eslintReact from "@eslint-react/eslint-plugin";
import jsxA11y from "eslint-plugin-jsx-a11y-x";
import reactHooks from "eslint-plugin-react-hooks";

export default defineConfig({
  files: ["**/*.tsx"],
  extends: [eslintReact.configs["recommended-type-checked"], reactHooks.configs.flat.recommended, jsxA11y.configs.recommended],
});
