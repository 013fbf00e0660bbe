import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { LogMethods } from "@daycarat/logger";

/** A registry, or a cluster primary's aggregate of its processes' registries. */
export interface MetricsSource {
  contentType: string;
  metrics(): Promise<string>;
}

export interface MetricsSettings {
  /** Undefined: metrics off. */
  port: number | undefined;
  host: string;
  logger: LogMethods;
}

export interface MetricsEndpoint {
  /** e.g. http://127.0.0.1:9464/metrics */
  url: string;
  close(): Promise<void>;
}

/**
 * `GET /metrics` in Prometheus's text format on a port of its own, apart from the API: it
 * is never behind the API's load balancer, limits or authentication, and a scrape never
 * competes with API requests for a route.
 */
export async function serveMetrics(
  source: MetricsSource,
  { host, port, logger }: MetricsSettings & { port: number },
): Promise<MetricsEndpoint> {
  const server = createServer((request, response) => {
    if (request.method !== "GET" || request.url?.split("?")[0] !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found: GET /metrics\n");
      return;
    }
    source.metrics().then(
      (text) => response.writeHead(200, { "content-type": source.contentType }).end(text),
      (err: unknown) => {
        logger.error({ err }, "could not collect the metrics");
        response.writeHead(500, { "content-type": "text/plain" }).end("Could not collect the metrics\n");
      },
    );
  });
  server.listen(port, host);
  await once(server, "listening");
  const { port: boundPort } = server.address() as AddressInfo;
  const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  const url = `http://${shownHost}:${boundPort}/metrics`;
  logger.info({ url }, "metrics served");
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
