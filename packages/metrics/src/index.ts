export { startServerMetrics, startWorkerMetrics, type ServerMetrics, type WorkerMetrics } from "./processes.ts";
export { type MetricsSettings } from "./endpoint.ts";
export { type HttpMetrics } from "./http.ts";
