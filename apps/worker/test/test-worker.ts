import { afterAll } from "vitest";
import { loadDatabaseConfigOrExit } from "@daycarat/config";
import { createDatabaseClient } from "@daycarat/db";
import { startJobQueue } from "@daycarat/jobs";
import { captureLogs, type CapturedLogs } from "@daycarat/testkit";
import { registerHandlers } from "../src/handlers.ts";

/** The worker's handlers running in this process on a test database; stopped after the file's tests. */
export async function startTestWorker(databaseUrl: string, env: NodeJS.ProcessEnv = {}): Promise<{ logs: CapturedLogs }> {
  const config = loadDatabaseConfigOrExit({ NODE_ENV: "test", DATABASE_URL: databaseUrl, ...env });
  const logs = captureLogs("worker", "debug");
  const db = createDatabaseClient(databaseUrl, { maxConnections: 4 });
  const jobs = await startJobQueue({ databaseUrl, runsMaintenance: true, logger: logs.logger, maxConnections: 4 });
  const handlers = await registerHandlers({ config, jobs, db, logger: logs.logger });
  afterAll(async () => {
    await jobs.stop({ graceful: false });
    await handlers.close();
    await db.$disconnect();
  });
  return { logs };
}
