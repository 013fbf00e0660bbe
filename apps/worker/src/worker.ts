import { loadDatabaseConfigOrExit } from "@daycarat/config";
import { createDatabaseClient, migrateDatabase } from "@daycarat/db";
import { allJobs, startJobQueue } from "@daycarat/jobs";
import { stopGracefully } from "@daycarat/lifecycle";
import { createReportingLogger } from "@daycarat/slack";
import { stopTracing } from "@daycarat/telemetry";
import { registerHandlers } from "./handlers.ts";

const config = loadDatabaseConfigOrExit();
// ERROR-and-worse lines also go to Slack when SLACK_WEBHOOK_URL is set.
const { logger, flush: flushErrorReports } = createReportingLogger("worker", config);
// Sessions of their own (migrations' and pg-boss's locks, LISTEN) bypass a transaction pooler.
const { url: databaseUrl, directUrl } = config.database;

await migrateDatabase({ databaseUrl: directUrl, logger });
const db = createDatabaseClient(databaseUrl, { maxConnections: config.database.poolSize });
const jobs = await startJobQueue({ databaseUrl: directUrl, runsMaintenance: true, logger });
const handlers = await registerHandlers({ config, jobs, db, logger });

stopGracefully({ logger, timeoutMs: config.server.shutdownTimeoutMs }, async () => {
  // Stop fetching; jobs in flight get until the deadline, then are released for retry.
  await jobs.stop({ graceful: true, timeoutMs: config.server.shutdownTimeoutMs - 1_000 });
  await handlers.close();
  await db.$disconnect();
  await flushErrorReports();
  await stopTracing();
});

logger.info({ queues: allJobs.map((job) => job.name) }, "worker started");
