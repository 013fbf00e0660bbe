import closeWithGrace from "close-with-grace";
import { loadDatabaseConfigOrExit } from "@daycarat/config";
import { createDatabaseClient, migrateDatabase } from "@daycarat/db";
import { allJobs, startJobQueue } from "@daycarat/jobs";
import { createLogger } from "@daycarat/logger";
import { registerHandlers } from "./handlers.ts";

const config = loadDatabaseConfigOrExit();
const logger = createLogger({ service: "worker", ...config.logging });
const databaseUrl = config.database.url;

await migrateDatabase({ databaseUrl, logger });
const db = createDatabaseClient(databaseUrl, { maxConnections: config.database.poolSize });
const boss = await startJobQueue({ databaseUrl, runsMaintenance: true, logger });
const handlers = await registerHandlers({ config, boss, db, logger });

closeWithGrace({ delay: config.server.shutdownTimeoutMs, logger }, async ({ signal, err }) => {
  if (err) logger.error({ err }, "shutting down after an unexpected error");
  else logger.info({ signal }, "shutting down");
  // Stop fetching; jobs in flight get until the deadline, then are released for retry.
  await boss.stop({ graceful: true, timeout: config.server.shutdownTimeoutMs - 1_000 });
  await handlers.close();
  await db.$disconnect();
});

logger.info({ queues: allJobs.map((job) => job.name) }, "worker started");
