import type { PgBoss } from "pg-boss";
import type { DatabaseClient } from "@daycarat/db";
import { deleteExpiredData } from "@daycarat/domain";
import { housekeepingJob, work } from "@daycarat/jobs";
import type { Logger } from "@daycarat/logger";

export interface WorkerDependencies {
  boss: PgBoss;
  db: DatabaseClient;
  logger: Logger;
}

/** Wires each queue to the domain function that handles its jobs. */
export async function registerHandlers({ boss, db, logger }: WorkerDependencies): Promise<void> {
  await work(boss, housekeepingJob, async (_payload, job) => {
    const deleted = await deleteExpiredData(db);
    logger.info({ jobId: job.id, queue: job.name, ...deleted }, "housekeeping done");
  });
}
