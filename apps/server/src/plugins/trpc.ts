import type { FastifyPluginAsync } from "fastify";
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import { appRouter, type AppRouter, type ApiDependencies } from "@daycarat/api";

/** Mounts the tRPC router at /trpc; each request's context gets its own request logger. */
export const trpcRoutes: FastifyPluginAsync<ApiDependencies> = async (app, deps) => {
  const options: FastifyTRPCPluginOptions<AppRouter> = {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      createContext: ({ req }) => ({ ...deps, log: req.log, authorization: req.headers.authorization }),
      onError: ({ error, path, ctx }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") ctx?.log.error({ err: error.cause ?? error, path }, "procedure failed");
      },
    },
  };
  await app.register(fastifyTRPCPlugin, options);
};
