import { router } from "./trpc.ts";

/** The public API: every area of PRODUCT.md is a sub-router here. */
export const appRouter = router({});

export type AppRouter = typeof appRouter;
