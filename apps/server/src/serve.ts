import type { DatabaseAppConfig } from "@daycarat/config";
import { startNotificationFeed, startRevocationList } from "@daycarat/api";
import { createDatabaseClient, poolConnections, startReadRouting } from "@daycarat/db";
import { startJobQueue } from "@daycarat/jobs";
import { stopGracefully } from "@daycarat/lifecycle";
import type { Logger } from "@daycarat/logger";
import { startServerMetrics } from "@daycarat/metrics";
import { stopTracing } from "@daycarat/telemetry";
import { buildServer } from "./app.ts";

/** One serving process, on a migrated database: its own pools, job queue and LISTEN connections. */
export async function serve(
  config: DatabaseAppConfig,
  { logger, flush: flushErrorReports }: { logger: Logger; flush: () => Promise<void> },
) {
  // Sessions of their own (pg-boss's locks, LISTEN) bypass a transaction pooler.
  const { url: databaseUrl, directUrl, replicaUrls, replicaMaxLagMs: maxLagMs, poolSize } = config.database;
  const db = createDatabaseClient(databaseUrl, { maxConnections: poolSize });
  const reads = startReadRouting({ primary: db, replicaUrls, maxLagMs, poolSize, logger });
  const jobs = await startJobQueue({ databaseUrl: directUrl, runsMaintenance: false, logger });
  const notificationFeed = await startNotificationFeed(directUrl, logger);
  const revocations = await startRevocationList({ db, databaseUrl: directUrl, recheckMs: config.auth.revocationRecheckMs, logger });
  // In a cluster this process reports its metrics to the primary, which serves them all (start.ts).
  const metrics = await startServerMetrics(
    { port: config.metrics.serverPort, host: config.server.host, logger },
    { poolConnections: () => poolConnections(db), liveSubscriptions: () => notificationFeed.watching() },
  );
  const app = await buildServer({ config, logger, db, reads, jobs, notificationFeed, revocations, httpMetrics: metrics?.http });

  stopGracefully({ logger, timeoutMs: config.server.shutdownTimeoutMs }, async () => {
    // Load balancers see /readyz fail and stop sending requests, which are served meanwhile.
    await app.drain(config.server.shutdownDrainMs);
    await app.close();
    await metrics?.close();
    await jobs.stop({ graceful: false });
    await reads.close();
    await db.$disconnect();
    await flushErrorReports();
    await stopTracing();
  });

  await app.listen({ host: config.server.host, port: config.server.port });
}
