import type { FastifyPluginAsync } from "fastify";
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import { appRouter, type AppRouter, type ApiDependencies } from "@daycarat/api";

/** Mounts the tRPC router at /trpc; each request's context gets its own request logger. */
export const trpcRoutes: FastifyPluginAsync<ApiDependencies> = async (app, deps) => {
  const options: FastifyTRPCPluginOptions<AppRouter> = {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      // Procedures log their own unexpected failures (packages/api/src/trpc.ts), with the user.
      createContext: ({ req }) => ({ ...deps, log: req.log, authorization: req.headers.authorization }),
    },
  };
  await app.register(fastifyTRPCPlugin, options);
};
