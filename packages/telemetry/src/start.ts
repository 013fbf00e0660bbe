// Tracing is off unless an OTLP endpoint is configured. This module stays light: the
// OpenTelemetry SDK and its instrumentations are imported only when tracing is on, so a
// process without it pays neither their start-up time nor their memory.

let stopStarted: (() => Promise<void>) | undefined;

/**
 * Starts exporting traces when OTEL_EXPORTER_OTLP_ENDPOINT is set; the SDK reads the other
 * OTEL_* variables itself (OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_TRACES_SAMPLER, OTEL_BSP_*, …).
 * Call it before the process loads its other modules: tracing hooks into pg as it is imported.
 */
export async function startTracing(defaultServiceName: string): Promise<void> {
  if (!process.env.OTEL_EXPORTER_OTLP_ENDPOINT || stopStarted) return;
  const { startTracingSdk } = await import("./sdk.ts");
  stopStarted = startTracingSdk(process.env.OTEL_SERVICE_NAME ?? defaultServiceName);
}

/** Whether this process exports traces: without it every span is a no-op. */
export function isTracing(): boolean {
  return stopStarted !== undefined;
}

/** Exports the spans still buffered and stops tracing; nothing to do when it is off. */
export async function stopTracing(): Promise<void> {
  await stopStarted?.();
  stopStarted = undefined;
}
