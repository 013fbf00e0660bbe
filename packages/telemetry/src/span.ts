import { SpanKind, SpanStatusCode, trace, type Span, type SpanOptions } from "@opentelemetry/api";

export { SpanKind };

// The API alone: without a started SDK its tracer is a no-op, so spans cost next to nothing when tracing is off.
const tracer = trace.getTracer("daycarat");

/** Runs `work` in a span of its own (a child of the active one), recording a thrown error on it. */
export function withSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
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
