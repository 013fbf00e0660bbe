import { INVALID_SPAN_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type SpanOptions } from "@opentelemetry/api";
import { isTracing } from "./start.ts";

export { SpanKind };

// The API alone: without a started SDK its tracer is a no-op.
const tracer = trace.getTracer("daycarat");
/** What `work` records on when tracing is off: nothing. */
const NON_RECORDING_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * Runs `work` in a span of its own (a child of the active one), recording a thrown error on it.
 * With tracing off it runs as it is: even a no-op span makes a context and a promise, and a
 * request's procedure runs in one.
 */
export function withSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  if (!isTracing()) return work(NON_RECORDING_SPAN);
  return tracer.startActiveSpan(name, options, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}
