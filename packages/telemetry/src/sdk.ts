import { register as registerImportHooks } from "import-in-the-middle/register-hooks.mjs";
import { FastifyOtelInstrumentation } from "@fastify/otel";
import { PgInstrumentation } from "@opentelemetry/instrumentation-pg";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { PrismaInstrumentation } from "@prisma/instrumentation";

// Loaded by start.ts only when tracing is on.

/** Prisma's spans for its own steps, below each operation; the pg spans beneath show the queries. */
const PRISMA_INNER_SPANS = /^prisma:client:(serialize|compile|connect|db_query)$/;

/** Answered by every process all day long: spans of them would bury the requests that matter. */
const HEALTH_PATHS = new Set(["/healthz", "/readyz"]);

/**
 * Starts the OpenTelemetry SDK with the instrumentations the system needs: Fastify requests,
 * Prisma operations, pg queries, and fetch (the OpenAI SDK's calls). pg-boss makes its own
 * send and process spans; the FCM call has one of packages/push's.
 */
export function startTracingSdk(serviceName: string): () => Promise<void> {
  // pg is the one module patched as it loads. The synchronous, in-thread hooks see ESM imports
  // (how Prisma's adapter and pg-boss load pg), and only pg's are intercepted.
  registerImportHooks({ include: ["pg"] });
  const sdk = new NodeSDK({
    serviceName,
    instrumentations: [
      new FastifyOtelInstrumentation({
        registerOnInitialization: true,
        // A span per Fastify hook (CORS, helmet, …) or for the route handler per request is cost
        // without insight: the procedure's span, a child of the request's, names the handler's work.
        instrumentHooks: false,
        instrumentHandler: false,
        ignorePaths: ({ url }) => HEALTH_PATHS.has(url),
        // Named after its route, as HTTP server spans are: "POST /trpc/:path".
        requestHook: (span, request) => span.updateName(`${request.method} ${request.routeOptions.url ?? request.url}`),
      }),
      new PrismaInstrumentation({ ignoreSpanTypes: [PRISMA_INNER_SPANS] }),
      // Queries outside any trace (pg-boss polling, LISTEN connections) would each be a trace of their own.
      new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
    ],
    // Traces only: metrics are prom-client's, logs are pino's.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return () => sdk.shutdown();
}
