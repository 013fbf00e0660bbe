import { PgBoss, type JobWithMetadata, type SendOptions, type WorkOptions } from "pg-boss";
import type { LogMethods } from "@daycarat/logger";
import { allJobs } from "./all-jobs.ts";
import { z } from "zod";
import { defineJob, type JobDefinition, type JobPayload } from "./define-job.ts";

/** pg-boss keeps its tables in their own schema, beside the application's. */
export const JOB_QUEUE_SCHEMA = "pgboss";

export interface JobQueueOptions {
  databaseUrl: string;
  /** Connections for pg-boss's own pool. */
  maxConnections?: number;
  /** Only worker processes run pg-boss maintenance and cron; an enqueue-only client does not. */
  runsMaintenance: boolean;
}

export function createJobQueue(options: JobQueueOptions): PgBoss {
  return new PgBoss({
    connectionString: options.databaseUrl,
    schema: JOB_QUEUE_SCHEMA,
    max: options.maxConnections ?? 5,
    application_name: "daycarat-jobs",
    supervise: options.runsMaintenance,
    // The supervisor's monitor pass is what fails an active job whose heartbeat stopped (its
    // worker died) so that it is retried. At pg-boss's defaults (60 s each) such a job waits
    // up to a minute beyond its heartbeat; every 10 s, a dead worker's analysis runs again
    // within about half a minute (10 s heartbeat, ≤ 10 s to the next pass, the queue's retry
    // delay, the next poll). A pass is a few indexed statements and the queue counts.
    superviseIntervalSeconds: 10,
    monitorIntervalSeconds: 10,
    schedule: options.runsMaintenance,
    // A cron pass every 10 s (one instance of the deployment wins each) and a poll for its
    // forwarded occurrences every 2 s create a scheduled job within about 12 s of its minute,
    // instead of up to 35 s at pg-boss's 30 s and 5 s. A pass is a one-row claim and a read of
    // the schedules.
    cronMonitorIntervalSeconds: 10,
    cronWorkerIntervalSeconds: 2,
    useListenNotify: options.runsMaintenance,
  });
}

/**
 * A started job queue with every job's queue in place: what server (enqueue only) and
 * worker (runs jobs, maintenance and schedules) each start with.
 */
export async function startJobQueue(options: JobQueueOptions & { logger: LogMethods }): Promise<PgBoss> {
  const boss = createJobQueue(options);
  boss.on("error", (err) => {
    options.logger.error({ err }, "job queue error");
  });
  await boss.start();
  await ensureQueues(boss, allJobs, { schedules: options.runsMaintenance });
  return boss;
}

/**
 * Creates each job's queue (and its dead-letter queue first) and brings its options up to
 * date. Safe when several processes start at once: pg-boss creates queues under an
 * advisory lock with ON CONFLICT DO NOTHING.
 */
async function ensureQueues(
  boss: PgBoss,
  jobs: readonly JobDefinition[],
  // Schedules are the worker's business: only instances that run them (re)write them.
  { schedules }: { schedules: boolean },
): Promise<void> {
  for (const job of jobs) {
    if (job.deadLetterQueue) await boss.createQueue(job.deadLetterQueue);
    const options = job.deadLetterQueue ? { ...job.queue, deadLetter: job.deadLetterQueue } : job.queue;
    await boss.createQueue(job.name, options);
    await boss.updateQueue(job.name, options);
    if (schedules && job.schedule) {
      await boss.schedule(job.name, job.schedule.cron, {}, { tz: job.schedule.timeZone });
    }
  }
}

/** Validates the payload against the job's contract, then enqueues it. */
export async function enqueue<Definition extends JobDefinition>(
  boss: PgBoss,
  job: Definition,
  payload: JobPayload<Definition>,
  options: SendOptions = {},
): Promise<string | null> {
  const data = job.payload.parse(payload) as object;
  return boss.send(job.name, data, options);
}

/** The part of a Prisma client (or transaction) that pg-boss needs to write through it. */
export interface SqlExecutor {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

/**
 * Enqueues through the caller's transaction: the job exists if and only if the
 * transaction commits, so a state change and the job that follows it never part.
 */
export async function enqueueInTransaction<Definition extends JobDefinition>(
  boss: PgBoss,
  transaction: SqlExecutor,
  job: Definition,
  payload: JobPayload<Definition>,
  options: SendOptions = {},
): Promise<string | null> {
  const db = {
    executeSql: async (text: string, values: unknown[] = []) => ({
      rows: await transaction.$queryRawUnsafe<unknown[]>(text, ...values),
    }),
  };
  return enqueue(boss, job, payload, { ...options, db });
}

/**
 * Parks a job that failed for good in its dead-letter queue, with the reason, through the
 * caller's transaction (the one recording the failure), for operators to inspect or redrive.
 */
export async function enqueueDeadLetter<Definition extends JobDefinition>(
  boss: PgBoss,
  transaction: SqlExecutor,
  job: Definition,
  payload: JobPayload<Definition>,
  reason: string,
): Promise<void> {
  if (!job.deadLetterQueue) throw new Error(`${job.name} has no dead-letter queue`);
  const deadLetter = defineJob({
    name: job.deadLetterQueue,
    payload: z.object({ job: z.string(), payload: job.payload, reason: z.string() }),
    queue: {},
  });
  await enqueueInTransaction(boss, transaction, deadLetter, { job: job.name, payload, reason });
}

export type JobHandler<Definition extends JobDefinition> = (
  payload: JobPayload<Definition>,
  /** With its retry settings: `retryCount >= retryLimit` on the last attempt. */
  job: JobWithMetadata<unknown>,
) => Promise<void>;

type HandlerOptions = Pick<WorkOptions, "localConcurrency" | "groupConcurrency" | "pollingIntervalSeconds" | "notifyPollingIntervalSeconds">;

/**
 * Runs `work` for fetched jobs; if it throws, logs the failure with the queue and job ids:
 * WARN while pg-boss will retry them, ERROR once a job is on its last attempt (those lines
 * are the worker's error reports to Slack).
 */
async function logFailure(logger: LogMethods, jobs: JobWithMetadata<unknown>[], work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    const lastAttempt = jobs.some((job) => job.retryCount >= job.retryLimit);
    const [first] = jobs;
    logger[lastAttempt ? "error" : "warn"](
      {
        err,
        queue: first?.name,
        ...(jobs.length === 1 ? { jobId: first?.id } : { jobIds: jobs.map((job) => job.id) }),
        attempt: (first?.retryCount ?? 0) + 1,
        of: (first?.retryLimit ?? 0) + 1,
      },
      lastAttempt ? "job failed for good" : "job failed; pg-boss retries it",
    );
    throw err;
  }
}

/** Runs `handler` for each job of the queue, after validating its payload against the contract. */
export async function work<Definition extends JobDefinition>(
  boss: PgBoss,
  logger: LogMethods,
  job: Definition,
  handler: JobHandler<Definition>,
  options: HandlerOptions = {},
): Promise<string> {
  return boss.work(job.name, { localConcurrency: 1, ...options, includeMetadata: true }, async ([received]) => {
    if (!received) return;
    await logFailure(logger, [received], () => handler(job.payload.parse(received.data) as JobPayload<Definition>, received));
  });
}

/**
 * Runs `handler` for up to `batchSize` jobs of the queue at a time: for jobs whose work is
 * cheaper together (one transaction, one FCM call for many). pg-boss settles the batch as a
 * whole, so the handler must be harmless to repeat for the jobs it already did.
 */
export async function workBatches<Definition extends JobDefinition>(
  boss: PgBoss,
  logger: LogMethods,
  job: Definition,
  handler: (payloads: JobPayload<Definition>[]) => Promise<void>,
  options: HandlerOptions & { batchSize: number },
): Promise<string> {
  // While fetches come back full there is a backlog: fetch again at once instead of waiting out the poll.
  return boss.work(job.name, { localConcurrency: 1, ...options, includeMetadata: true, burstWhenBatchFull: true }, async (received) => {
    if (received.length === 0) return;
    await logFailure(logger, received, () => handler(received.map((each) => job.payload.parse(each.data) as JobPayload<Definition>)));
  });
}
