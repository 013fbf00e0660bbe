import { loadDatabaseConfigOrExit } from "@daycarat/config";
import { startNotificationFeed, startRevocationList } from "@daycarat/api";
import { createDatabaseClient, migrateDatabase, poolConnections, startReadRouting } from "@daycarat/db";
import { startJobQueue } from "@daycarat/jobs";
import { stopGracefully } from "@daycarat/lifecycle";
import { startServerMetrics } from "@daycarat/metrics";
import { createReportingLogger } from "@daycarat/slack";
import { stopTracing } from "@daycarat/telemetry";
import { buildServer } from "./app.ts";

const config = loadDatabaseConfigOrExit();
// ERROR-and-worse lines also go to Slack when SLACK_WEBHOOK_URL is set.
const { logger, flush: flushErrorReports } = createReportingLogger("server", config);
// Sessions of their own (migrations' and pg-boss's locks, LISTEN) bypass a transaction pooler.
const { url: databaseUrl, directUrl, replicaUrls, replicaMaxLagMs: maxLagMs, poolSize } = config.database;

await migrateDatabase({ databaseUrl: directUrl, logger });
const db = createDatabaseClient(databaseUrl, { maxConnections: poolSize });
const reads = startReadRouting({ primary: db, replicaUrls, maxLagMs, poolSize, logger });
const jobs = await startJobQueue({ databaseUrl: directUrl, runsMaintenance: false, logger });
const notificationFeed = await startNotificationFeed(directUrl, logger);
const revocations = await startRevocationList({ db, databaseUrl: directUrl, recheckMs: config.auth.revocationRecheckMs, logger });
const metrics = await startServerMetrics(
  { port: config.metrics.serverPort, host: config.server.host, logger },
  { poolConnections: () => poolConnections(db), liveSubscriptions: () => notificationFeed.watching() },
);
const app = await buildServer({ config, logger, db, reads, jobs, notificationFeed, revocations, httpMetrics: metrics?.http });

stopGracefully({ logger, timeoutMs: config.server.shutdownTimeoutMs }, async () => {
  await app.close();
  await metrics?.close();
  await jobs.stop({ graceful: false });
  await reads.close();
  await db.$disconnect();
  await flushErrorReports();
  await stopTracing();
});

await app.listen({ host: config.server.host, port: config.server.port });
