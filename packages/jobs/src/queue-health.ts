import type { PgBoss } from "pg-boss";
import { allJobs } from "./all-jobs.ts";

export interface QueueHealth {
  name: string;
  /** Jobs waiting to run now. */
  ready: number;
  /** Jobs waiting for their `startAfter` (scheduled notices, pushes held for quiet hours, retries). */
  deferred: number;
  active: number;
  /** Failed jobs still kept (pg-boss's retention), whether or not they were retried since. */
  failed: number;
  /** The queue failed jobs move to once their retries are spent, and how many wait there. */
  deadLetter: { name: string; waiting: number } | null;
}

/** Depth, failures and dead letters of every queue of the system, as pg-boss counts them. */
export async function describeQueues(boss: PgBoss): Promise<QueueHealth[]> {
  const names = allJobs.flatMap((job) => (job.deadLetterQueue ? [job.name, job.deadLetterQueue] : [job.name]));
  const queues = new Map((await boss.getQueues(names)).map((queue) => [queue.name, queue]));
  return allJobs.map((job) => {
    const queue = queues.get(job.name);
    const deadLetter = job.deadLetterQueue ? queues.get(job.deadLetterQueue) : undefined;
    return {
      name: job.name,
      ready: queue?.readyCount ?? 0,
      deferred: queue?.deferredCount ?? 0,
      active: queue?.activeCount ?? 0,
      failed: queue?.failedCount ?? 0,
      deadLetter: job.deadLetterQueue ? { name: job.deadLetterQueue, waiting: deadLetter?.queuedCount ?? 0 } : null,
    };
  });
}
