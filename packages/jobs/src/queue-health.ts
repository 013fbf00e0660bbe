import type { PgBoss } from "pg-boss";
import { allJobs } from "./all-jobs.ts";
import { JOB_QUEUE_SCHEMA } from "./schema.ts";

export interface QueueHealth {
  name: string;
  /** Jobs waiting to run now. */
  ready: number;
  /** How long the longest-waiting of them has been ready to run (0 when none is): a stalled or overloaded queue grows it. */
  oldestReadySeconds: number;
  /** Jobs waiting for their `startAfter` (scheduled notices, pushes held for quiet hours, retries). */
  deferred: number;
  active: number;
  /** Failed jobs still kept (pg-boss's retention), whether or not they were retried since. */
  failed: number;
  /** The queue failed jobs move to once their retries are spent, and how many wait there. */
  deadLetter: { name: string; waiting: number } | null;
}

/**
 * Seconds since the longest-waiting ready job of each queue became ready (its `start_after`:
 * when it was sent, or its retry or deferral came due), counted now, not at pg-boss's last
 * monitor pass. Reads the index pg-boss keeps on its live jobs.
 */
async function oldestReadySeconds(boss: PgBoss, names: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await boss.getDb().executeSql(
    `SELECT name, EXTRACT(EPOCH FROM now() - min(start_after))::float8 AS seconds
     FROM ${JOB_QUEUE_SCHEMA}.job
     WHERE name = ANY($1::text[]) AND state < 'active' AND NOT blocked AND start_after <= now()
     GROUP BY name`,
    [names],
  );
  return new Map(rows.map((row: { name: string; seconds: number }) => [row.name, Math.max(0, row.seconds)]));
}

/** Depth, failures and dead letters of every queue of the system, as pg-boss counts them, and the age of their oldest ready job. */
export async function describeQueues(boss: PgBoss): Promise<QueueHealth[]> {
  const names = allJobs.flatMap((job) => (job.deadLetterQueue ? [job.name, job.deadLetterQueue] : [job.name]));
  const [queueList, oldest] = await Promise.all([
    boss.getQueues(names),
    oldestReadySeconds(
      boss,
      allJobs.map((job) => job.name),
    ),
  ]);
  const queues = new Map(queueList.map((queue) => [queue.name, queue]));
  return allJobs.map((job) => {
    const queue = queues.get(job.name);
    const deadLetter = job.deadLetterQueue ? queues.get(job.deadLetterQueue) : undefined;
    return {
      name: job.name,
      ready: queue?.readyCount ?? 0,
      oldestReadySeconds: oldest.get(job.name) ?? 0,
      deferred: queue?.deferredCount ?? 0,
      active: queue?.activeCount ?? 0,
      failed: queue?.failedCount ?? 0,
      deadLetter: job.deadLetterQueue ? { name: job.deadLetterQueue, waiting: deadLetter?.queuedCount ?? 0 } : null,
    };
  });
}
