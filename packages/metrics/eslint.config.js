export { default } from "@daycarat/eslint-config";
