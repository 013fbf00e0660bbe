import type { FastifyPluginCallback } from "fastify";
import { checkDatabaseReadiness, type DatabaseClient } from "@daycarat/db";

/**
 * `/healthz`: the process is alive (for restarts). `/readyz`: the database answers and
 * its migrations are applied (for load balancers): 503 otherwise, until it recovers.
 */
export const healthRoutes: FastifyPluginCallback<{ db: DatabaseClient }> = (app, { db }, done) => {
  app.get("/healthz", { logLevel: "warn" }, () => ({ status: "ok" }));

  app.get("/readyz", { logLevel: "warn" }, async (request, reply) => {
    const readiness = await checkDatabaseReadiness(db);
    if (!readiness.ready) {
      request.log.warn({ reason: readiness.reason }, "not ready");
      return reply.code(503).send({ status: "unavailable", reason: readiness.reason });
    }
    return { status: "ready" };
  });
  done();
};
