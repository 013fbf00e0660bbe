import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import { appRouter, identifyCaller, type AppRouter, type ApiDependencies, type Context } from "@daycarat/api";
import { refuseDeepTrpcInput } from "./error-answers.ts";
import type { AdmitCalls, RequestedCall } from "./rate-limits.ts";

/** What the API's routes are mounted with: the API's dependencies and the limits on calls. */
export interface ApiRouteOptions extends ApiDependencies {
  admitCalls: AdmitCalls;
}

/** Makes a request's context, once its calls are admitted by the limits. */
export type RequestContext = (request: FastifyRequest, reply: FastifyReply, calls: readonly RequestedCall[]) => Promise<Context>;

/**
 * A request's context, for /trpc and /api/v1 alike: the API's dependencies, its caller (the
 * bearer token verified once), its own logger. The dependencies are picked out of the route's
 * options once: tRPC copies the context at every middleware, so it holds nothing else.
 */
export function requestContextFactory({
  admitCalls,
  config,
  db,
  reads,
  jobs,
  notificationFeed,
  revocations,
}: ApiRouteOptions): RequestContext {
  const deps: ApiDependencies = { config, db, reads, jobs, notificationFeed, revocations };
  return async (request, reply, calls) => {
    const caller = await identifyCaller(config.auth.jwtSecret, request.headers.authorization);
    await admitCalls(request, reply, calls, caller);
    return { ...deps, log: request.log, caller };
  };
}

/**
 * tRPC answers with a fetch Response, which Fastify pipes as a stream: chunked, one socket write
 * per chunk and one more to end it. An answer that is a single JSON document (a query, a
 * mutation, a batch of them, an error) is read whole and sent with its length instead, in one
 * write; streamed answers (subscriptions, `application/jsonl` batches) stream as before. Its
 * text is the one tRPC made (patches/@trpc__server: kept as text, not made a stream and read back).
 */
async function sendJsonWhole(_request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (!(payload instanceof Response) || payload.headers.has("transfer-encoding")) return payload;
  if (!payload.headers.get("content-type")?.startsWith("application/json")) return payload;
  // What Fastify itself takes from a Response: its status and headers.
  void reply.code(payload.status);
  for (const [name, value] of payload.headers) void reply.header(name, value);
  return payload.text();
}

/**
 * Mounts the tRPC router at /trpc; each request's context gets its own request logger. A
 * batch names at most `maxBatchSize` calls, and every call is admitted by the limits first.
 */
export const trpcRoutes: FastifyPluginAsync<ApiRouteOptions> = async (app, routeOptions) => {
  const requestContext = requestContextFactory(routeOptions);
  const options: FastifyTRPCPluginOptions<AppRouter> = {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      maxBatchSize: routeOptions.config.limits.maxBatchSize,
      // Procedures log their own unexpected failures (packages/api/src/trpc.ts), with the user.
      createContext: ({ req, res, info }) =>
        requestContext(
          req,
          res,
          info.calls.map((call) => ({ procedure: call.path, mutation: call.procedure?._def.type === "mutation" })),
        ),
    },
  };
  // tRPC parses its JSON itself: the nesting limit every JSON body has is checked before it does.
  app.addHook("preValidation", refuseDeepTrpcInput);
  app.addHook("onSend", sendJsonWhole);
  await app.register(fastifyTRPCPlugin, options);
};
