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

/** The instrumentations by the names OTEL_NODE_DISABLED_INSTRUMENTATIONS knows them by. */
const INSTRUMENTATIONS = {
  fastify: () =>
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
  prisma: () => new PrismaInstrumentation({ ignoreSpanTypes: [PRISMA_INNER_SPANS] }),
  // Queries outside any trace (pg-boss polling, LISTEN connections) would each be a trace of their own.
  pg: () => new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
  undici: () => new UndiciInstrumentation({ requireParentforSpans: true }),
};

/** The instrumentations not named in OTEL_NODE_DISABLED_INSTRUMENTATIONS (comma-separated). */
function enabledInstrumentations() {
  const disabled = (process.env.OTEL_NODE_DISABLED_INSTRUMENTATIONS ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = disabled.filter((name) => !Object.hasOwn(INSTRUMENTATIONS, name));
  if (unknown.length > 0)
    throw new Error(`OTEL_NODE_DISABLED_INSTRUMENTATIONS names ${unknown.join(", ")}; known: ${Object.keys(INSTRUMENTATIONS).join(", ")}`);
  return Object.entries(INSTRUMENTATIONS)
    .filter(([name]) => !disabled.includes(name))
    .map(([, create]) => create());
}

/**
 * Starts the OpenTelemetry SDK with the instrumentations the system needs: Fastify requests,
 * Prisma operations, pg queries, and fetch (the OpenAI SDK's calls). pg-boss makes its own
 * send and process spans; the FCM call has one of packages/push's.
 */
export function startTracingSdk(serviceName: string): () => Promise<void> {
  const instrumentations = enabledInstrumentations();
  // pg is the one module patched as it loads. The synchronous, in-thread hooks see ESM imports
  // (how Prisma's adapter and pg-boss load pg), and only pg's are intercepted.
  registerImportHooks({ include: ["pg"] });
  const sdk = new NodeSDK({
    serviceName,
    instrumentations,
    // Traces only: metrics are prom-client's, logs are pino's.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return () => sdk.shutdown();
}
