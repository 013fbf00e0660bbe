import cluster from "node:cluster";
import { AggregatorRegistry, type Registry } from "prom-client";
import type { AnalysisModel, ModelPrices } from "@daycarat/domain";
import type { JobRun, QueueHealth } from "@daycarat/jobs";
import type { PushOutcome, PushTransport } from "@daycarat/push";
import { createAiMetrics } from "./ai.ts";
import { gaugeDatabasePool, gaugeLiveSubscriptions, type PoolConnections } from "./gauges.ts";
import { createHttpMetrics, type HttpMetrics } from "./http.ts";
import { createJobMetrics, gaugeQueues } from "./jobs.ts";
import { createPushCounter, measuredTransport } from "./push.ts";
import { serveMetrics, type MetricsSettings } from "./endpoint.ts";
import { createRegistry } from "./registry.ts";

// What each process exposes: the server its requests, live subscriptions and pool; the worker
// its jobs, queues, model calls, pushes and pool. Both: Node's default metrics.

interface Served {
  /** Stops serving the endpoint. */
  close(): Promise<void>;
}

/**
 * A process of a node:cluster serves no endpoint (its processes would share the port, and each
 * scrape would reach one of them): it answers its primary, which serves them all added up
 * (serveClusterMetrics). A process on its own serves its registry.
 */
async function serveOrReport(registry: Registry, settings: MetricsSettings & { port: number }): Promise<Served> {
  if (!cluster.isWorker) return serveMetrics(registry, settings);
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one is what makes this process answer the primary's requests.
  new AggregatorRegistry();
  return { close: () => Promise.resolve() };
}

export interface ServerMetrics extends Served {
  http: HttpMetrics;
}

/** The server's metrics, served on their port; undefined when they are off. */
export async function startServerMetrics(
  settings: MetricsSettings,
  sources: { poolConnections: () => PoolConnections; liveSubscriptions: () => number },
): Promise<ServerMetrics | undefined> {
  if (settings.port === undefined) return undefined;
  const registry = createRegistry();
  gaugeDatabasePool(registry, sources.poolConnections);
  gaugeLiveSubscriptions(registry, sources.liveSubscriptions);
  const http = createHttpMetrics(registry);
  return { http, ...(await serveOrReport(registry, { ...settings, port: settings.port })) };
}

export interface WorkerMetrics extends Served {
  onJobRun: (run: JobRun) => void;
  /** Reads the queues at each scrape, once the job queue is started. */
  watchQueues: (health: () => Promise<QueueHealth[]>) => void;
  measuredModel: (model: AnalysisModel) => AnalysisModel;
  measuredTransport: (transport: PushTransport) => PushTransport;
  countPushes: (outcome: PushOutcome, count: number) => void;
}

/** The worker's metrics, served on their port; undefined when they are off. */
export async function startWorkerMetrics(
  settings: MetricsSettings,
  sources: { queues: readonly string[]; prices: ModelPrices; poolConnections: () => PoolConnections },
): Promise<WorkerMetrics | undefined> {
  if (settings.port === undefined) return undefined;
  const registry = createRegistry();
  gaugeDatabasePool(registry, sources.poolConnections);
  const countPushes = createPushCounter(registry);
  return {
    ...(await serveMetrics(registry, { ...settings, port: settings.port })),
    onJobRun: createJobMetrics(registry, sources.queues),
    watchQueues: (health) => {
      gaugeQueues(registry, health);
    },
    measuredModel: createAiMetrics(registry, sources.prices),
    measuredTransport: (transport) => measuredTransport(transport, countPushes),
    countPushes,
  };
}
