import { collectDefaultMetrics, Registry } from "prom-client";

/**
 * A process's metrics: its own registry (never prom-client's global one, so that a test running
 * server and worker in one process keeps them apart), with Node's default metrics under their
 * usual names (`process_cpu_seconds_total`, `nodejs_eventloop_lag_seconds`, …), which ready-made
 * Node.js dashboards expect; Prometheus's `job` label tells the processes apart.
 */
export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Calls of `read` made while one is in flight share it: one scrape, one query, for several gauges. */
export function sharedWhileInFlight<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () =>
    (inFlight ??= read().finally(() => {
      inFlight = undefined;
    }));
}
