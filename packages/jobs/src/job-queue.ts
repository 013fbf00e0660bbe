import { fromPrisma, PgBoss, type JobWithMetadata, type SendOptions } from "pg-boss";
import type { LogMethods } from "@daycarat/logger";
import { z } from "zod";
import { allJobs } from "./all-jobs.ts";
import { defineJob, type JobDefinition, type JobPayload } from "./define-job.ts";
import { describeQueues, type QueueHealth } from "./queue-health.ts";
import { JOB_QUEUE_SCHEMA } from "./schema.ts";

/** The part of a Prisma client or transaction that jobs are written through. */
export type JobTransaction = Parameters<typeof fromPrisma>[0];

export interface EnqueueOptions {
  /** Not run before this time. */
  startAfter?: Date;
  /** Jobs of one group are limited together by the worker's `groupConcurrency`. */
  group?: string;
  /** While a job with this key waits in the queue, another one with the key is dropped. */
  singletonKey?: string;
}

/** What a handler learns about the job it runs, besides its payload. */
export interface RunningJob {
  id: string;
  name: string;
  /** Aborted when the job expires or the worker stops without waiting. */
  signal: AbortSignal;
  /** The queue will not try the job again if this run fails. */
  lastAttempt: boolean;
}

export type JobHandler<Definition extends JobDefinition> = (payload: JobPayload<Definition>, job: RunningJob) => Promise<void>;

export interface WorkerOptions {
  /** Jobs of this queue this process runs at once. */
  localConcurrency?: number;
  /** Jobs of one group (see EnqueueOptions) running at once across every worker. */
  groupConcurrency?: number;
  pollingIntervalSeconds?: number;
  /** The poll of a queue whose new jobs are announced (LISTEN/NOTIFY). */
  notifyPollingIntervalSeconds?: number;
}

/** The one way into the job queue: enqueueing, running jobs, and what operators watch. */
export interface JobQueue {
  /**
   * Enqueues through the caller's transaction: the job exists if and only if the
   * transaction commits, so a state change and the job that follows it never part.
   * Null when a singleton key dropped it.
   */
  enqueue<Definition extends JobDefinition>(
    transaction: JobTransaction,
    job: Definition,
    payload: JobPayload<Definition>,
    options?: EnqueueOptions,
  ): Promise<string | null>;
  /** Enqueues on its own, for a caller with no state change to tie the job to (a tool, a test). */
  enqueueAlone<Definition extends JobDefinition>(
    job: Definition,
    payload: JobPayload<Definition>,
    options?: EnqueueOptions,
  ): Promise<string | null>;
  /** Enqueues many jobs of one queue in one statement, each payload checked. */
  enqueueMany<Definition extends JobDefinition>(job: Definition, payloads: readonly JobPayload<Definition>[]): Promise<void>;
  /**
   * Parks a job that failed for good in its dead-letter queue, with the reason, through the
   * caller's transaction (the one recording the failure), for operators to inspect or redrive.
   */
  deadLetter<Definition extends JobDefinition>(
    transaction: JobTransaction,
    job: Definition,
    payload: JobPayload<Definition>,
    reason: string,
  ): Promise<void>;
  /** Cancels, through the caller's transaction, the unfinished jobs whose payload contains `match`. */
  cancel<Definition extends JobDefinition>(
    transaction: JobTransaction,
    job: Definition,
    match: Partial<JobPayload<Definition>>,
  ): Promise<void>;
  /** Those of `values` that no job of `job` waits for or runs, matched on the payload's `field`. */
  withoutLiveJob<Definition extends JobDefinition>(
    job: Definition,
    field: keyof JobPayload<Definition> & string,
    values: readonly string[],
  ): Promise<string[]>;
  /** Runs `handler` for each job of the queue, after validating its payload against the contract. */
  work<Definition extends JobDefinition>(job: Definition, handler: JobHandler<Definition>, options?: WorkerOptions): Promise<void>;
  /**
   * Runs `handler` for up to `batchSize` jobs of the queue at a time: for jobs whose work is
   * cheaper together (one transaction, one FCM call for many). The batch is settled as a
   * whole, so the handler must be harmless to repeat for the jobs it already did.
   */
  workBatches<Definition extends JobDefinition>(
    job: Definition,
    handler: (payloads: JobPayload<Definition>[]) => Promise<void>,
    options: WorkerOptions & { batchSize: number },
  ): Promise<void>;
  /** Depth, failures and dead letters of every queue of the system. */
  health(): Promise<QueueHealth[]>;
  /** Stops fetching; with `graceful`, jobs in flight get until `timeoutMs`, then are released for retry. */
  stop(options: { graceful: boolean; timeoutMs?: number }): Promise<void>;
}

/** How one run of a handler ended: for a batch, the outcome of all its jobs. */
export interface JobRun {
  queue: string;
  /** completed; retrying: failed, pg-boss tries again; failed: failed on its last attempt. */
  outcome: "completed" | "retrying" | "failed";
  jobs: number;
  seconds: number;
}

export interface JobQueueOptions {
  /** A direct connection (DATABASE_DIRECT_URL): pg-boss LISTENs and holds sessions, which a pooler in transaction mode cannot keep. */
  databaseUrl: string;
  /** Connections for pg-boss's own pool. */
  maxConnections?: number;
  /** Only worker processes run pg-boss maintenance and cron; an enqueue-only client does not. */
  runsMaintenance: boolean;
  logger: LogMethods;
  /** Told of every handler run (the worker's metrics). */
  onJobRun?: (run: JobRun) => void;
}

function createPgBoss(options: JobQueueOptions): PgBoss {
  return new PgBoss({
    connectionString: options.databaseUrl,
    schema: JOB_QUEUE_SCHEMA,
    max: options.maxConnections ?? 5,
    application_name: "daycarat-jobs",
    supervise: options.runsMaintenance,
    // The supervisor's monitor pass is what fails an active job whose heartbeat stopped (its
    // worker died) so that it is retried. At pg-boss's defaults (60 s each) such a job waits
    // up to a minute beyond its heartbeat; every 10 s, a dead worker's jobs run again within
    // about half a minute (10 s heartbeat, ≤ 10 s to the next pass, the queue's retry delay, the
    // next poll). A pass is a few indexed statements and the queue counts.
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
    // pg-boss's own OpenTelemetry spans (a producer span per send, a consumer span per job run)
    // with the sender's trace context stored on the job: a job's run continues the trace of the
    // request that enqueued it. Without a tracing SDK (tracing off) nothing is stored.
    openTelemetry: { propagateContext: true },
  });
}

/** A started pg-boss with every job's queue in place. */
export async function startPgBoss(options: JobQueueOptions): Promise<PgBoss> {
  const boss = createPgBoss(options);
  boss.on("error", (err) => {
    options.logger.error({ err }, "job queue error");
  });
  await boss.start();
  await ensureQueues(boss, allJobs, { schedules: options.runsMaintenance });
  return boss;
}

/**
 * A started job queue with every job's queue in place: what server (enqueue only) and
 * worker (runs jobs, maintenance and schedules) each start with.
 */
export async function startJobQueue(options: JobQueueOptions): Promise<JobQueue> {
  return jobQueueOver(await startPgBoss(options), options);
}

/**
 * Every queue's heartbeat, unless its job says otherwise: a running job's worker refreshes it
 * every half of this, so the monitor pass fails (and retries) a dead worker's jobs about half
 * a minute after it died instead of when they expire (minutes).
 */
const HEARTBEAT_SECONDS = 10;

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
    const queue = { heartbeatSeconds: HEARTBEAT_SECONDS, ...job.queue };
    const options = job.deadLetterQueue ? { ...queue, deadLetter: job.deadLetterQueue } : queue;
    await boss.createQueue(job.name, options);
    await boss.updateQueue(job.name, options);
    if (schedules && job.schedule) {
      await boss.schedule(job.name, job.schedule.cron, {}, { tz: job.schedule.timeZone });
    }
  }
}

function sendOptions(options: EnqueueOptions): SendOptions {
  return {
    ...(options.startAfter && { startAfter: options.startAfter }),
    ...(options.group && { group: { id: options.group } }),
    ...(options.singletonKey && { singletonKey: options.singletonKey }),
  };
}

function deadLetterOf(job: JobDefinition) {
  if (!job.deadLetterQueue) throw new Error(`${job.name} has no dead-letter queue`);
  return defineJob({
    name: job.deadLetterQueue,
    payload: z.object({ job: z.string(), payload: job.payload, reason: z.string() }),
    queue: {},
  });
}

/**
 * Runs `work` for fetched jobs and tells `onJobRun` how it ended. If it throws, logs the
 * failure with the queue and job ids: WARN while pg-boss will retry them, ERROR once a job is
 * on its last attempt (those lines are the worker's error reports to Slack).
 */
async function settle(
  { logger, onJobRun }: Pick<JobQueueOptions, "logger" | "onJobRun">,
  jobs: JobWithMetadata<unknown>[],
  work: () => Promise<void>,
): Promise<void> {
  const [first] = jobs;
  const started = performance.now();
  const report = (outcome: JobRun["outcome"]) =>
    onJobRun?.({ queue: first?.name ?? "", outcome, jobs: jobs.length, seconds: (performance.now() - started) / 1000 });
  try {
    await work();
    report("completed");
  } catch (err) {
    const lastAttempt = jobs.some(isLastAttempt);
    report(lastAttempt ? "failed" : "retrying");
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

/** A job in these states will still run, or is running. */
const LIVE_STATES: readonly string[] = ["created", "retry", "active"];

const isLastAttempt = (job: JobWithMetadata<unknown>) => job.retryCount >= job.retryLimit;

/** The JobQueue port over a started pg-boss. */
export function jobQueueOver(boss: PgBoss, observers: Pick<JobQueueOptions, "logger" | "onJobRun">): JobQueue {
  const send = <Definition extends JobDefinition>(
    job: Definition,
    payload: JobPayload<Definition>,
    options: EnqueueOptions = {},
    transaction?: JobTransaction,
  ) =>
    boss.send(job.name, job.payload.parse(payload) as object, {
      ...sendOptions(options),
      ...(transaction && { db: fromPrisma(transaction) }),
    });

  return {
    enqueue: (transaction, job, payload, options) => send(job, payload, options, transaction),
    enqueueAlone: (job, payload, options) => send(job, payload, options),
    async enqueueMany(job, payloads) {
      await boss.insert(
        job.name,
        payloads.map((payload) => ({ data: job.payload.parse(payload) as object })),
      );
    },
    async deadLetter(transaction, job, payload, reason) {
      await send(deadLetterOf(job), { job: job.name, payload, reason }, {}, transaction);
    },
    async cancel(transaction, job, match) {
      const db = fromPrisma(transaction);
      // pg-boss cancels only the unfinished ones among them (state before completed).
      const ids = (await boss.findJobs(job.name, { data: match, db })).map((each) => each.id);
      if (ids.length > 0) await boss.cancel(job.name, ids, { db });
    },
    async withoutLiveJob(job, field, values) {
      if (values.length === 0) return [];
      const { rows } = await boss.getDb().executeSql(
        `SELECT v.value FROM unnest($2::text[]) AS v(value)
         WHERE NOT EXISTS (
           SELECT 1 FROM ${JOB_QUEUE_SCHEMA}.job j
           WHERE j.name = $1 AND j.data->>$3 = v.value AND j.state::text = ANY($4::text[]))`,
        [job.name, values, field, LIVE_STATES],
      );
      return rows.map((row: { value: string }) => row.value);
    },
    async work(job, handler, options = {}) {
      await boss.work(job.name, { localConcurrency: 1, ...options, includeMetadata: true }, async ([received]) => {
        if (!received) return;
        const running = { id: received.id, name: received.name, signal: received.signal, lastAttempt: isLastAttempt(received) };
        await settle(observers, [received], () => handler(job.payload.parse(received.data) as JobPayload<typeof job>, running));
      });
    },
    async workBatches(job, handler, options) {
      // While fetches come back full there is a backlog: fetch again at once instead of waiting out the poll.
      await boss.work(job.name, { localConcurrency: 1, ...options, includeMetadata: true, burstWhenBatchFull: true }, async (received) => {
        if (received.length === 0) return;
        await settle(observers, received, () => handler(received.map((each) => job.payload.parse(each.data) as JobPayload<typeof job>)));
      });
    },
    health: () => describeQueues(boss),
    stop: ({ graceful, timeoutMs }) => boss.stop({ graceful, ...(timeoutMs !== undefined && { timeout: timeoutMs }) }),
  };
}
