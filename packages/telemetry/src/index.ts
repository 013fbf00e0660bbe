export { startTracing, stopTracing } from "./start.ts";
export { SpanKind, withSpan } from "./span.ts";
