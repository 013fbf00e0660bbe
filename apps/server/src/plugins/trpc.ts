import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import { appRouter, identifyCaller, type AppRouter, type ApiDependencies, type Context } from "@daycarat/api";
import { refuseDeepTrpcInput } from "./error-answers.ts";
import type { AdmitCalls, RequestedCall } from "./rate-limits.ts";

/** What the API's routes are mounted with: the API's dependencies and the limits on calls. */
export interface ApiRouteOptions extends ApiDependencies {
  admitCalls: AdmitCalls;
}

/**
 * A request's context, for /trpc and /api/v1 alike: its caller (the bearer token verified
 * once), its own logger, once its calls are admitted by the limits.
 */
export async function requestContext(
  { admitCalls, ...deps }: ApiRouteOptions,
  request: FastifyRequest,
  reply: FastifyReply,
  calls: readonly RequestedCall[],
): Promise<Context> {
  const caller = await identifyCaller(deps.config.auth.jwtSecret, request.headers.authorization);
  await admitCalls(request, reply, calls, caller);
  return { ...deps, log: request.log, caller };
}

/**
 * Mounts the tRPC router at /trpc; each request's context gets its own request logger. A
 * batch names at most `maxBatchSize` calls, and every call is admitted by the limits first.
 */
export const trpcRoutes: FastifyPluginAsync<ApiRouteOptions> = async (app, routeOptions) => {
  const options: FastifyTRPCPluginOptions<AppRouter> = {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      maxBatchSize: routeOptions.config.limits.maxBatchSize,
      // Procedures log their own unexpected failures (packages/api/src/trpc.ts), with the user.
      createContext: ({ req, res, info }) =>
        requestContext(
          routeOptions,
          req,
          res,
          info.calls.map((call) => ({ procedure: call.path, mutation: call.procedure?._def.type === "mutation" })),
        ),
    },
  };
  // tRPC parses its JSON itself: the nesting limit every JSON body has is checked before it does.
  app.addHook("preValidation", refuseDeepTrpcInput);
  await app.register(fastifyTRPCPlugin, options);
};
