// What tests and benchmarks need to see and steer in the job queue, so that they, too,
// leave pg-boss and its schema to this package.
import type { PgBoss } from "pg-boss";
import type { JobDefinition } from "./define-job.ts";
import { jobQueueOver, startPgBoss, type JobQueue, type JobQueueOptions, type JobTransaction } from "./job-queue.ts";
import { JOB_QUEUE_SCHEMA } from "./schema.ts";

export interface StoredJob {
  id: string;
  state: "created" | "retry" | "active" | "completed" | "cancelled" | "failed";
  data: Record<string, unknown>;
  startAfter: Date;
  retryCount: number;
  retryLimit: number;
  output: unknown;
}

/** A job queue that can also break the rules a test is about, and move the schedules. */
export interface TestJobQueue extends JobQueue {
  /** Sends without checking the payload, with the queue's retry policy overridden. */
  sendUnchecked(name: string, data: object, options?: { retryLimit?: number; retryDelay?: number }): Promise<string | null>;
  /** Replaces the job's schedule. */
  schedule(job: JobDefinition, cron: string, timeZone: string): Promise<void>;
  unschedule(job: JobDefinition): Promise<void>;
  /** Removes a job, as if pg-boss had lost it. */
  deleteJob(job: JobDefinition, jobId: string): Promise<void>;
}

export async function startTestJobQueue(options: JobQueueOptions): Promise<TestJobQueue> {
  const boss: PgBoss = await startPgBoss(options);
  return {
    ...jobQueueOver(boss, options),
    sendUnchecked: (name, data, retry = {}) => boss.send(name, data, retry),
    schedule: (job, cron, timeZone) => boss.schedule(job.name, cron, {}, { tz: timeZone }),
    unschedule: (job) => boss.unschedule(job.name),
    deleteJob: async (job, jobId) => {
      await boss.deleteJob(job.name, jobId);
    },
  };
}

const JOB = `${JOB_QUEUE_SCHEMA}.job`;

/** The jobs of a queue (any state, oldest first) whose payload contains `data`, or the one with `id`. */
export function findJobs(db: JobTransaction, queue: string | JobDefinition, match: { data?: object; id?: string }): Promise<StoredJob[]> {
  const name = typeof queue === "string" ? queue : queue.name;
  return db.$queryRawUnsafe<StoredJob[]>(
    `SELECT id, state::text AS state, data, start_after AS "startAfter", retry_count AS "retryCount",
            retry_limit AS "retryLimit", output
     FROM ${JOB}
     WHERE name = $1 AND data @> $2::jsonb AND ($3::uuid IS NULL OR id = $3::uuid)
     ORDER BY created_on, id`,
    name,
    JSON.stringify(match.data ?? {}),
    match.id ?? null,
  );
}

/** The dead letters parked for `job` whose original payload contains `payload`. */
export function findDeadLetters(db: JobTransaction, job: JobDefinition, payload: object): Promise<StoredJob[]> {
  if (!job.deadLetterQueue) throw new Error(`${job.name} has no dead-letter queue`);
  return findJobs(db, job.deadLetterQueue, { data: { job: job.name, payload } });
}

/** Makes a waiting job due now (skipping its backoff or schedule), optionally with a new retry limit. */
export async function makeDueNow(db: JobTransaction, jobId: string, options: { retryLimit?: number } = {}): Promise<void> {
  await db.$queryRawUnsafe(
    `UPDATE ${JOB} SET start_after = now(), retry_limit = COALESCE($2::int, retry_limit) WHERE id = $1::uuid`,
    jobId,
    options.retryLimit ?? null,
  );
}

/** From now on, writing any job fails with `message`: the job queue as if it were unavailable. */
export async function refuseNewJobs(db: JobTransaction, message: string): Promise<void> {
  await db.$queryRawUnsafe(`
    CREATE FUNCTION ${JOB_QUEUE_SCHEMA}.refuse_job() RETURNS trigger LANGUAGE plpgsql
    AS $$ BEGIN RAISE EXCEPTION '${message.replaceAll("'", "''")}'; END $$`);
  await db.$queryRawUnsafe(
    `CREATE TRIGGER refuse_job BEFORE INSERT ON ${JOB} FOR EACH ROW EXECUTE FUNCTION ${JOB_QUEUE_SCHEMA}.refuse_job()`,
  );
}

/** The queues in the database (pg-boss's internal ones left out), by name. */
export async function storedQueueNames(db: JobTransaction): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT name FROM ${JOB_QUEUE_SCHEMA}.queue WHERE name NOT LIKE '\\_\\_pgboss%' ORDER BY name`,
  );
  return rows.map((row) => row.name);
}

/** The schedules in the database, by name. */
export function storedSchedules(db: JobTransaction): Promise<{ name: string; cron: string; timezone: string }[]> {
  return db.$queryRawUnsafe(`SELECT name, cron, timezone FROM ${JOB_QUEUE_SCHEMA}.schedule ORDER BY name`);
}

/**
 * Median and 95th percentile of the time completed jobs of a queue (payload containing
 * `data`) spent in their handler, and how many ran more than once.
 */
export async function handlerTimes(
  db: JobTransaction,
  job: JobDefinition,
  data: object,
): Promise<{ p50Ms: number; p95Ms: number; retried: number }> {
  const [row] = await db.$queryRawUnsafe<{ p50: number | null; p95: number | null; retried: number }[]>(
    `SELECT 1000 * extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY completed_on - started_on))::float8 AS p50,
            1000 * extract(epoch FROM percentile_cont(0.95) WITHIN GROUP (ORDER BY completed_on - started_on))::float8 AS p95,
            (count(*) FILTER (WHERE retry_count > 0))::int AS retried
     FROM ${JOB}
     WHERE name = $1 AND state = 'completed' AND data @> $2::jsonb`,
    job.name,
    JSON.stringify(data),
  );
  return { p50Ms: row?.p50 ?? 0, p95Ms: row?.p95 ?? 0, retried: row?.retried ?? 0 };
}
