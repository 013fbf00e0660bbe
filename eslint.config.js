// One lint run over the whole workspace (`pnpm lint`), with the shared rules of tooling/eslint:
// type-aware rules need each file's types, which one run computes once for all the packages.
import typescript from "@daycarat/eslint-config";
import react from "@daycarat/eslint-config/react";

export default [...typescript, ...react];
