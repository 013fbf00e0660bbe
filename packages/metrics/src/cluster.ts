import { AggregatorRegistry } from "prom-client";
import { serveMetrics, type MetricsEndpoint, type MetricsSettings } from "./endpoint.ts";

// Its own entry (@daycarat/metrics/cluster): a cluster's primary serves nothing else, so it
// loads prom-client and this, not the server's and the worker's metrics and what they import.

/**
 * For the primary of a node:cluster of servers: one endpoint on METRICS_PORT with every
 * process's metrics, added up (counters, histograms and gauges summed; prom-client's own rules
 * for Node's default metrics). Undefined when metrics are off.
 */
export async function serveClusterMetrics(settings: MetricsSettings): Promise<MetricsEndpoint | undefined> {
  if (settings.port === undefined) return undefined;
  const aggregator = new AggregatorRegistry();
  return serveMetrics(
    { contentType: aggregator.contentType, metrics: () => aggregator.clusterMetrics() },
    { ...settings, port: settings.port },
  );
}
