import { initTRPC } from "@trpc/server";
import type { Context } from "./context.ts";

// Never send stack traces to clients, whatever NODE_ENV says.
const t = initTRPC.context<Context>().create({ isDev: false });

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
