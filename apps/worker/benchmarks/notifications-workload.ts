import { randomBytes, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { DatabaseClient } from "@daycarat/db";
import { notifyUserJob, type JobPayload, type JobQueue } from "@daycarat/jobs";
import { handlerTimes } from "@daycarat/jobs/testing";

const POLL_INTERVAL_MS = 250;
/** How often the deliveries are counted in the database while the stand-in has not yet received them all. */
const SLOW_POLL_INTERVAL_MS = 2_000;
/** How often the stand-in's count is looked at meanwhile (in memory, no query). */
const RECEIVED_CHECK_INTERVAL_MS = 20;
/** Rows per createMany: well under Postgres's 65,535 bind parameters at 4 columns. */
const SEED_CHUNK = 5_000;
/** Jobs per insert statement while enqueueing. */
const ENQUEUE_CHUNK = 1_000;
const WARM_UP_TIMEOUT_MS = 60_000;

/** The one personal notification every benchmark user gets (the same event for all, one entry each). */
export const PERSONAL_DEDUPE_KEY = "bench:analysis-succeeded";

export interface WaitOptions {
  deadline: number;
  /** False when waiting is pointless (a worker died). */
  keepWaiting: () => boolean;
}

/** Something shaped like an FCM registration token (~170 characters), unique per device. */
function fakeToken(): string {
  return `${randomBytes(16).toString("base64url")}:APA91b${randomBytes(105).toString("base64url")}`;
}

async function inChunks<Item>(items: readonly Item[], size: number, write: (chunk: Item[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await write(items.slice(start, start + size));
}

/**
 * `users` users who allow pushes, with `devices` devices between them (as evenly as they
 * divide), written with createMany: going through the API would make seeding the slow part.
 * `preferences` becomes each user's notification_preferences row when given.
 */
export async function seedPushUsers(
  db: DatabaseClient,
  options: {
    users: number;
    devices: number;
    prefix: string;
    preferences?: { quietHoursEnabled: boolean; notices?: boolean };
  },
): Promise<string[]> {
  const userIds = Array.from({ length: options.users }, () => randomUUID());
  await inChunks(userIds, SEED_CHUNK, (ids) =>
    db.user.createMany({
      data: ids.map((id, index) => ({ id, nickname: `${options.prefix}${index}`.slice(0, 30), pushAllowed: true })),
    }),
  );
  const { preferences } = options;
  if (preferences) {
    await inChunks(userIds, SEED_CHUNK, (ids) =>
      db.notificationPreference.createMany({ data: ids.map((userId) => ({ userId, ...preferences })) }),
    );
  }
  const devices = Array.from({ length: options.devices }, (_, index) => ({
    userId: userIds[index % options.users] ?? "",
    token: fakeToken(),
    platform: index % 2 === 0 ? ("ANDROID" as const) : ("IOS" as const),
  }));
  await inChunks(devices, SEED_CHUNK, (chunk) => db.device.createMany({ data: chunk }));
  // The planner statistics a running database has (autovacuum's): without them, Postgres with JIT compiles each batch's recipient lookup.
  await db.$executeRaw`ANALYZE users, notification_preferences, devices`;
  return userIds;
}

/** The notification an analysis that succeeded sends its user. */
function personalNotification(userId: string, dedupeKey: string): JobPayload<typeof notifyUserJob> {
  return {
    userId,
    type: "ANALYSIS_SUCCEEDED",
    category: "AI_RESULT",
    title: "보석 가공이 완료되었어요",
    body: "AI가 자기소개서 문장 세 개를 만들었어요. 지금 확인해 보세요.",
    data: { episodeId: randomUUID() },
    dedupeKey,
  };
}

export interface Enqueued {
  /** When each user's job was handed to the queue (ms since the epoch: the start of its insert). */
  enqueuedAt: Map<string, number>;
  firstEnqueueAt: number;
  durationMs: number;
}

/**
 * One `notification.personal` job per user, validated against the job's contract and
 * inserted ENQUEUE_CHUNK at a time (each insert NOTIFYs the workers' pollers).
 */
export async function enqueuePersonalNotifications(jobs: JobQueue, userIds: readonly string[], dedupeKey: string): Promise<Enqueued> {
  const enqueuedAt = new Map<string, number>();
  const firstEnqueueAt = Date.now();
  await inChunks(userIds, ENQUEUE_CHUNK, async (ids) => {
    const startedAt = Date.now();
    await jobs.enqueueMany(
      notifyUserJob,
      ids.map((userId) => personalNotification(userId, dedupeKey)),
    );
    for (const id of ids) enqueuedAt.set(id, startedAt);
  });
  return { enqueuedAt, firstEnqueueAt, durationMs: Date.now() - firstEnqueueAt };
}

export interface DeliveryCounts {
  total: number;
  sent: number;
  failed: number;
}

/** The deliveries of the notifications with this dedupe key, by outcome. */
async function countDeliveries(db: DatabaseClient, dedupeKey: string): Promise<DeliveryCounts> {
  const [row] = await db.$queryRaw<{ total: bigint; sent: bigint; failed: bigint }[]>`
    SELECT count(*) AS total,
           count(*) FILTER (WHERE d.status = 'SENT') AS sent,
           count(*) FILTER (WHERE d.status = 'FAILED') AS failed
    FROM notification_deliveries d JOIN notifications n ON n.id = d."notificationId"
    WHERE n."dedupeKey" = ${dedupeKey}`;
  return { total: Number(row?.total ?? 0), sent: Number(row?.sent ?? 0), failed: Number(row?.failed ?? 0) };
}

/**
 * Polls until `expected` deliveries of the dedupe key are SENT or FAILED (for good), the
 * time is up or a worker died; reports progress now and then, returns the last counts.
 * With `received` (the sends the FCM stand-in has taken, counted in memory), the database is
 * counted every SLOW_POLL_INTERVAL_MS until they are all in, then every POLL_INTERVAL_MS: a
 * count joins every delivery of the run (about 14 ms of Postgres for 20,000), so counting
 * four times a second took a measurable share of the cores the run is measuring.
 */
export async function waitForDeliveries(
  db: DatabaseClient,
  dedupeKey: string,
  expected: number,
  options: WaitOptions & { onProgress?: (counts: DeliveryCounts) => void; received?: () => number },
): Promise<DeliveryCounts> {
  const allReceived = () => !options.received || options.received() >= expected;
  let counts = await countDeliveries(db, dedupeKey);
  let countedAt = Date.now();
  while (counts.sent + counts.failed < expected && Date.now() < options.deadline && options.keepWaiting()) {
    await sleep(allReceived() ? POLL_INTERVAL_MS : RECEIVED_CHECK_INTERVAL_MS);
    if (!allReceived() && Date.now() - countedAt < SLOW_POLL_INTERVAL_MS) continue;
    counts = await countDeliveries(db, dedupeKey);
    countedAt = Date.now();
    options.onProgress?.(counts);
  }
  return counts;
}

export interface DeliveryTimes {
  /** Enqueue → SENT of each SENT delivery, sorted ascending. */
  latencies: number[];
  lastSentAt: number;
  /** When the last inbox entry was written. */
  lastEntryAt: number;
}

/** Reads when each delivery was sent (the worker's `sentAt`) and each entry written. */
export async function deliveryTimes(db: DatabaseClient, dedupeKey: string, enqueuedAt: Map<string, number>): Promise<DeliveryTimes> {
  const rows = await db.notificationDelivery.findMany({
    where: { status: "SENT", notification: { dedupeKey } },
    select: { sentAt: true, notification: { select: { userId: true } } },
  });
  const latencies = rows
    .flatMap((row) => {
      const start = enqueuedAt.get(row.notification.userId);
      return row.sentAt && start !== undefined ? [row.sentAt.getTime() - start] : [];
    })
    .sort((a, b) => a - b);
  const lastSent = rows.reduce((latest, row) => Math.max(latest, row.sentAt?.getTime() ?? 0), 0);
  const lastEntry = await db.notification.aggregate({ where: { dedupeKey }, _max: { createdAt: true } });
  return { latencies, lastSentAt: lastSent, lastEntryAt: lastEntry._max.createdAt?.getTime() ?? 0 };
}

export interface JobTimes {
  /** Median and 95th percentile of a job's time in its handler (from its start to its completion). */
  p50Ms: number;
  p95Ms: number;
  /** Jobs that failed once and ran again. */
  retried: number;
}

/**
 * How long the handler took per `notification.personal` job of the dedupe key: with pollers
 * that wait out the poll interval after each job, this says how busy they really were.
 */
export function personalJobTimes(db: DatabaseClient, dedupeKey: string): Promise<JobTimes> {
  return handlerTimes(db, notifyUserJob, { dedupeKey });
}

/**
 * One personal push end to end before anything is measured: the worker has no health
 * endpoint, so its first SENT delivery is the proof that it listens (with its FCM access
 * token fetched and its code paths warm). The warm-up user has notices off, so it never
 * joins the notices topic.
 */
export async function warmUp(db: DatabaseClient, jobs: JobQueue, keepWaiting: () => boolean): Promise<void> {
  const [userId = ""] = await seedPushUsers(db, {
    users: 1,
    devices: 1,
    prefix: "워밍업",
    preferences: { quietHoursEnabled: false, notices: false },
  });
  const dedupeKey = "bench:warm-up";
  await enqueuePersonalNotifications(jobs, [userId], dedupeKey);
  const counts = await waitForDeliveries(db, dedupeKey, 1, { deadline: Date.now() + WARM_UP_TIMEOUT_MS, keepWaiting });
  if (counts.sent !== 1) throw new Error(`the warm-up push was not sent (${JSON.stringify(counts)}): is the worker running?`);
}

/** Polls `check` until it returns a value, the time is up or a worker died. */
export async function pollUntil<Value>(check: () => Promise<Value | undefined>, options: WaitOptions): Promise<Value | undefined> {
  for (;;) {
    const value = await check();
    if (value !== undefined || Date.now() >= options.deadline || !options.keepWaiting()) return value;
    await sleep(POLL_INTERVAL_MS);
  }
}
