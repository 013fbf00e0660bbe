export {
  serveClusterMetrics,
  startServerMetrics,
  startWorkerMetrics,
  type MetricsSettings,
  type ServerMetrics,
  type WorkerMetrics,
} from "./processes.ts";
export { type HttpMetrics } from "./http.ts";
