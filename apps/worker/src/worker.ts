import { loadDatabaseConfigOrExit } from "@daycarat/config";
import { createDatabaseClient, migrateDatabase, poolConnections } from "@daycarat/db";
import { allJobs, startJobQueue } from "@daycarat/jobs";
import { stopGracefully } from "@daycarat/lifecycle";
import { startWorkerMetrics } from "@daycarat/metrics";
import { createReportingLogger } from "@daycarat/slack";
import { stopTracing } from "@daycarat/telemetry";
import { registerHandlers } from "./handlers.ts";

const config = loadDatabaseConfigOrExit();
// ERROR-and-worse lines also go to Slack when SLACK_WEBHOOK_URL is set.
const { logger, flush: flushErrorReports } = createReportingLogger("worker", config);
// Sessions of their own (migrations' and pg-boss's locks, LISTEN) bypass a transaction pooler.
const { url: databaseUrl, directUrl } = config.database;
const queues = allJobs.map((job) => job.name);

await migrateDatabase({ databaseUrl: directUrl, logger });
const db = createDatabaseClient(databaseUrl, { maxConnections: config.database.poolSize });
const metrics = await startWorkerMetrics(
  { port: config.metrics.workerPort, host: config.server.host, logger },
  { queues, prices: config.ai.pricesPerMillionTokens, poolConnections: () => poolConnections(db) },
);
const jobs = await startJobQueue({ databaseUrl: directUrl, runsMaintenance: true, logger, onJobRun: metrics?.onJobRun });
metrics?.watchQueues(() => jobs.health());
const handlers = await registerHandlers({ config, jobs, db, logger, metrics });

stopGracefully({ logger, timeoutMs: config.server.shutdownTimeoutMs }, async () => {
  // Stop fetching; jobs in flight get until the deadline, then are released for retry.
  await jobs.stop({ graceful: true, timeoutMs: config.server.shutdownTimeoutMs - 1_000 });
  await handlers.close();
  await metrics?.close();
  await db.$disconnect();
  await flushErrorReports();
  await stopTracing();
});

logger.info({ queues }, "worker started");
