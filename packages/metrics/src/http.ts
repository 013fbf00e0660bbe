import { Counter, Histogram, type Registry } from "prom-client";

/** Records each answered request under its procedure (a bounded name, never a raw URL). */
export interface HttpMetrics {
  observe(procedure: string, statusCode: number, seconds: number): void;
}

export function createHttpMetrics(registry: Registry): HttpMetrics {
  const requests = new Counter({
    name: "daycarat_http_requests_total",
    help: "HTTP requests answered, by tRPC or REST procedure (or route) and status code.",
    labelNames: ["procedure", "code"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "daycarat_http_request_duration_seconds",
    help: "Time from a request's arrival to its answer, by tRPC or REST procedure (or route).",
    labelNames: ["procedure"],
    registers: [registry],
  });
  // The labelled children, found by one Map lookup instead of prom-client hashing the labels on
  // every request; bounded as the procedures and status codes are.
  const children = new Map<string, { requests: Counter.Internal; duration: Histogram.Internal<string> }>();
  return {
    observe(procedure, statusCode, seconds) {
      const key = `${procedure} ${statusCode}`;
      let child = children.get(key);
      if (!child) {
        child = { requests: requests.labels(procedure, String(statusCode)), duration: duration.labels(procedure) };
        children.set(key, child);
      }
      child.requests.inc();
      child.duration.observe(seconds);
    },
  };
}
