// Tracing is off unless an OTLP endpoint is configured. This module stays light: the
// OpenTelemetry SDK and its instrumentations are imported only when tracing is on, so a
// process without it pays neither their start-up time nor their memory.

/** The standard OpenTelemetry variable whose presence turns tracing on. */
export const TRACING_ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_ENDPOINT";

let stopStarted: (() => Promise<void>) | undefined;

/**
 * Starts exporting traces when OTEL_EXPORTER_OTLP_ENDPOINT is set; the SDK reads the other
 * OTEL_* variables itself (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_TRACES_SAMPLER, …).
 * Call it before the process loads its other modules: tracing hooks into pg as it is imported.
 */
export async function startTracing(defaultServiceName: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!env[TRACING_ENDPOINT_VARIABLE] || stopStarted) return;
  const { startTracingSdk } = await import("./sdk.ts");
  stopStarted = startTracingSdk(env.OTEL_SERVICE_NAME ?? defaultServiceName);
}

/** Exports the spans still buffered and stops tracing; nothing to do when it is off. */
export async function stopTracing(): Promise<void> {
  await stopStarted?.();
  stopStarted = undefined;
}
