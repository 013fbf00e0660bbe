import { randomUUID } from "node:crypto";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { ApiDependencies } from "@daycarat/api";
import { DeferredChildLog, type Logger } from "@daycarat/logger";
import type { HttpMetrics } from "@daycarat/metrics";
import { registerBrowserSecurity } from "./plugins/browser-security.ts";
import { answerClientError, answerFrameworkError, errorAnswers } from "./plugins/error-answers.ts";
import { healthRoutes } from "./plugins/health.ts";
import { openApiRoutes } from "./plugins/openapi.ts";
import { createCallLimits } from "./plugins/rate-limits.ts";
import { countRequests } from "./plugins/request-metrics.ts";
import { slackRoutes } from "./plugins/slack.ts";
import { stopPhases } from "./plugins/stopping.ts";
import { trpcRoutes } from "./plugins/trpc.ts";
import { lazySchemaCompilers } from "./schema-compilers.ts";

export interface ServerDependencies extends ApiDependencies {
  logger: Logger;
  /** Counts requests per procedure; unset (metrics off): no hook at all. */
  httpMetrics?: HttpMetrics;
}

const REQUEST_ID_HEADER = "x-request-id";
const REQUEST_ID_PATTERN = /^[\w.-]{1,128}$/;

/** The HTTP server: plugins only; every behaviour lives in the packages they mount. */
export async function buildServer(deps: ServerDependencies): Promise<FastifyInstance> {
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance,
    schemaController: { compilersFactory: lazySchemaCompilers() },
    bodyLimit: deps.config.server.bodyLimitBytes,
    // A batched tRPC call names every procedure in the path ("me.get,episodes.list,…").
    routerOptions: { maxParamLength: 5_000 },
    // A caller's (or proxy's) request id is kept when well-formed, so one id follows a
    // request end to end; it appears as `reqId` on every log line of the request.
    requestIdHeader: false,
    // A request's logger (its lines carry `reqId`) is made when the request first writes a line:
    // at LOG_LEVEL=warn most requests write none.
    childLoggerFactory: (serverLogger, bindings, options) => DeferredChildLog.of(serverLogger, bindings, options),
    genReqId: (request) => {
      const incoming = request.headers[REQUEST_ID_HEADER];
      return typeof incoming === "string" && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    },
    // The client's address (which per-address limits count by) from a trusted load balancer.
    trustProxy: deps.config.server.trustProxy,
    // Let in-flight requests finish on shutdown while new connections are refused; a request
    // that still comes in is refused by stopPhases, in the API's error shape.
    forceCloseConnections: "idle",
    return503OnClosing: false,
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
  });
  await app.register(errorAnswers);
  if (deps.httpMetrics) countRequests(app, deps.httpMetrics);
  await app.register(stopPhases);

  // Live subscriptions never end by themselves: end them (their clients reconnect) so that
  // the in-flight requests the server waits for do finish.
  app.addHook("preClose", () => deps.notificationFeed.close());
  app.addHook("onClose", () => deps.revocations.close());
  app.addHook("onSend", (request, reply, payload, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done(null, payload);
  });

  await registerBrowserSecurity(app, deps.config);
  await app.register(healthRoutes, { db: deps.db, reads: deps.reads });
  // One set of counters for /trpc and /api/v1: a limit holds however the API is called.
  const apiRoutes = { ...deps, admitCalls: createCallLimits(deps, deps.logger) };
  await app.register(trpcRoutes, apiRoutes);
  await app.register(openApiRoutes, apiRoutes);
  await app.register(slackRoutes, deps);
  return app;
}
