import type { FastifyInstance, FastifyRequest } from "fastify";
import type { HttpMetrics } from "@daycarat/metrics";
import { PROCEDURES, REST_ROUTE, restProcedure, TRPC_ROUTE } from "./procedures.ts";

/** What a request to no known procedure or route counts as, so that made-up paths add no series. */
const UNKNOWN = "unknown";

/**
 * The procedures a request called: each procedure of a (batched) tRPC call, the procedure
 * behind a REST path, or else the route's template (`/readyz`, `/docs/*`).
 */
function calledProcedures(request: FastifyRequest): string[] {
  const route = request.routeOptions.url;
  if (route === undefined) return [UNKNOWN];
  if (route === TRPC_ROUTE) {
    const paths = (request.params as { path?: string }).path?.split(",") ?? [];
    return paths.map((path) => (PROCEDURES.has(path) ? path : UNKNOWN));
  }
  if (route === REST_ROUTE) return [restProcedure(request) ?? UNKNOWN];
  return [route];
}

/**
 * Counts every answered request and its duration per procedure; a batched tRPC request counts
 * once for each procedure it names, with the batch's status and duration.
 */
export function countRequests(app: FastifyInstance, http: HttpMetrics): void {
  app.addHook("onResponse", (request, reply, done) => {
    const seconds = reply.elapsedTime / 1000;
    for (const procedure of calledProcedures(request)) http.observe(procedure, reply.statusCode, seconds);
    done();
  });
}
