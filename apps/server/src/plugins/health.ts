import type { FastifyPluginCallback } from "fastify";
import { checkDatabaseReadiness, type DatabaseClient, type ReadRouting } from "@daycarat/db";

/**
 * `/healthz`: the process is alive (for restarts). `/readyz`: the database answers and
 * its migrations are applied (for load balancers): 503 otherwise, until it recovers. It also
 * gives each read replica's state (up, lagging, down) and lag; a replica alone never makes the
 * server unready, since reads then go to the primary. From a stop request on it answers 503
 * `draining` (see stopping.ts), so that balancers stop sending requests before the server closes.
 */
export const healthRoutes: FastifyPluginCallback<{ db: DatabaseClient; reads: ReadRouting }> = (app, { db, reads }, done) => {
  app.get("/healthz", { logLevel: "warn" }, () => ({ status: "ok" }));

  app.get("/readyz", { logLevel: "warn" }, async (request, reply) => {
    if (app.stopPhase !== "serving") return reply.code(503).send({ status: "draining" });
    const readiness = await checkDatabaseReadiness(db);
    // Numbered as in DATABASE_REPLICA_URLS: this answer is public, so it names no host and repeats
    // no driver error (the log line "read replica skipped" has both).
    const replicas = reads.replicas().map(({ state, lagMs }, index) => ({ replica: index + 1, state, lagMs }));
    const replicasPart = replicas.length > 0 ? { replicas } : {};
    if (!readiness.ready) {
      request.log.warn({ reason: readiness.reason }, "not ready");
      return reply.code(503).send({ status: "unavailable", reason: readiness.reason, ...replicasPart });
    }
    return { status: "ready", ...replicasPart };
  });
  done();
};
