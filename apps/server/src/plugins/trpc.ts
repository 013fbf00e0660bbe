import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import { appRouter, type AppRouter, type ApiDependencies, type Context } from "@daycarat/api";
import { refuseDeepTrpcInput } from "./error-answers.ts";

/** A request's context, for /trpc and /api/v1 alike: the request's own logger and Authorization header. */
export function requestContext(deps: ApiDependencies, request: FastifyRequest): Context {
  return { ...deps, log: request.log, authorization: request.headers.authorization };
}

/** Mounts the tRPC router at /trpc; each request's context gets its own request logger. */
export const trpcRoutes: FastifyPluginAsync<ApiDependencies> = async (app, deps) => {
  const options: FastifyTRPCPluginOptions<AppRouter> = {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      // Procedures log their own unexpected failures (packages/api/src/trpc.ts), with the user.
      createContext: ({ req }) => requestContext(deps, req),
    },
  };
  // tRPC parses its JSON itself: the nesting limit every JSON body has is checked before it does.
  app.addHook("preValidation", refuseDeepTrpcInput);
  await app.register(fastifyTRPCPlugin, options);
};
