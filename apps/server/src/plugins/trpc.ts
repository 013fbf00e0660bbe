import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import { appRouter, type AppRouter, type ApiDependencies, type Context } from "@daycarat/api";
import { refuseDeepTrpcInput } from "./error-answers.ts";
import type { AdmitCalls } from "./rate-limits.ts";

/** A request's context, for /trpc and /api/v1 alike: the request's own logger and Authorization header. */
export function requestContext(deps: ApiDependencies, request: FastifyRequest): Context {
  return { ...deps, log: request.log, authorization: request.headers.authorization };
}

/** What the API's routes are mounted with: the API's dependencies and the limits on calls. */
export interface ApiRouteOptions extends ApiDependencies {
  admitCalls: AdmitCalls;
}

/**
 * Mounts the tRPC router at /trpc; each request's context gets its own request logger. A
 * batch names at most `maxBatchSize` calls, and every call is admitted by the limits first.
 */
export const trpcRoutes: FastifyPluginAsync<ApiRouteOptions> = async (app, { admitCalls, ...deps }) => {
  const options: FastifyTRPCPluginOptions<AppRouter> = {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      maxBatchSize: deps.config.limits.maxBatchSize,
      // Procedures log their own unexpected failures (packages/api/src/trpc.ts), with the user.
      createContext: async ({ req, res, info }) => {
        await admitCalls(
          req,
          res,
          info.calls.map((call) => ({ procedure: call.path, mutation: call.procedure?._def.type === "mutation" })),
        );
        return requestContext(deps, req);
      },
    },
  };
  // tRPC parses its JSON itself: the nesting limit every JSON body has is checked before it does.
  app.addHook("preValidation", refuseDeepTrpcInput);
  await app.register(fastifyTRPCPlugin, options);
};
