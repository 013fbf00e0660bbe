export { startTracing, stopTracing, TRACING_ENDPOINT_VARIABLE } from "./start.ts";
export { SpanKind, withSpan, type SpanOptions } from "./span.ts";
