import { authRouter } from "./routers/auth/index.ts";
import { meRouter } from "./routers/me/index.ts";
import { router } from "./trpc.ts";

/** The public API: every area of PRODUCT.md is a sub-router here. */
export const appRouter = router({
  auth: authRouter,
  me: meRouter,
});

export type AppRouter = typeof appRouter;
