export { appRouter, type AppRouter } from "./root.ts";
export type { ApiDependencies, Context } from "./context.ts";
