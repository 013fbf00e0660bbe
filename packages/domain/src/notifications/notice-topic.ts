import { Prisma } from "@daycarat/db";
import { subscribeDeviceJob, syncNoticeTopicJob, type JobQueue, type JobTransaction } from "@daycarat/jobs";
import { NOTICES_TOPIC, TOPIC_BATCH_LIMIT, TOPIC_CALL_CONCURRENCY, type TopicOutcome } from "@daycarat/push";
import type { NotificationDependencies } from "./inbox.ts";

/** Who should hear notices: a live token whose user allows pushes and has not turned notices off. */
const WANTS_NOTICES = Prisma.sql`
  d."invalidSince" IS NULL AND u."pushAllowed" AND COALESCE(p.notices, true)`;

const DEVICES = Prisma.sql`
  devices d JOIN users u ON u.id = d."userId" LEFT JOIN notification_preferences p ON p."userId" = d."userId"`;

export interface TopicSyncTally {
  subscribed: number;
  unsubscribed: number;
  retiredDevices: number;
  /** Tokens whose call failed with a retryable error; the job is retried for them. */
  retrying: number;
}

/** What a sync or a subscription that had nothing to do (no FCM, no devices) did; frozen, since every caller gets this one object. */
const NO_TOPIC_CHANGES: TopicSyncTally = Object.freeze({ subscribed: 0, unsubscribed: 0, retiredDevices: 0, retrying: 0 });

type Transaction = Prisma.TransactionClient;

/** Asks the worker to bring the notices topic in line, in the caller's transaction. */
export async function requestNoticeTopicSync(jobs: JobQueue, tx: JobTransaction): Promise<void> {
  await jobs.enqueue(tx, syncNoticeTopicJob, {});
}

/** Asks the worker to put a newly registered device on the notices topic, in the caller's transaction. */
export async function requestDeviceSubscription(jobs: JobQueue, tx: JobTransaction, deviceId: string): Promise<void> {
  await jobs.enqueue(tx, subscribeDeviceJob, { deviceId });
}

/**
 * Deletes devices in the caller's transaction, keeping the tokens that are on the notices
 * topic for the topic sync to unsubscribe (the row that knew them is gone), and enqueues it.
 */
export async function removeDevices(jobs: JobQueue, tx: Transaction, where: Prisma.DeviceWhereInput): Promise<number> {
  const devices = await tx.device.findMany({ where, select: { id: true, token: true, topicSubscribedAt: true } });
  if (devices.length === 0) return 0;
  const subscribed = devices.filter((device) => device.topicSubscribedAt).map(({ token }) => ({ token }));
  await tx.topicUnsubscription.createMany({ data: subscribed, skipDuplicates: true });
  await tx.device.deleteMany({ where: { id: { in: devices.map((device) => device.id) } } });
  if (subscribed.length > 0) await requestNoticeTopicSync(jobs, tx);
  return devices.length;
}

/**
 * One pass over a kind of pending topic change, a batch of at most TOPIC_BATCH_LIMIT tokens
 * per FCM call, each batch claimed (SKIP LOCKED) in the transaction that records it. Stops
 * early when a batch had retryable failures, which stay pending for the job's retry.
 */
async function drain(
  deps: NotificationDependencies,
  claim: (tx: Transaction) => Promise<{ key: string; token: string }[]>,
  call: (tokens: string[]) => Promise<TopicOutcome[]>,
  record: (tx: Transaction, done: string[], retired: string[]) => Promise<void>,
): Promise<{ done: number; retired: number; retrying: number }> {
  const total = { done: 0, retired: 0, retrying: 0 };
  for (;;) {
    const batch = await deps.db.$transaction(
      async (tx) => {
        const rows = await claim(tx);
        if (rows.length === 0) return { size: 0, retrying: 0 };
        const outcomes = await call(rows.map((row) => row.token));
        const done: string[] = [];
        const retired: string[] = [];
        let retrying = 0;
        rows.forEach((row, index) => {
          const outcome = outcomes[index];
          if (!outcome || (!outcome.ok && outcome.retryable)) retrying++;
          else if (!outcome.ok && outcome.tokenRetired) retired.push(row.key);
          else done.push(row.key);
        });
        await record(tx, done, retired);
        total.done += done.length;
        total.retired += retired.length;
        total.retrying += retrying;
        return { size: rows.length, retrying };
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
    if (batch.size < TOPIC_BATCH_LIMIT || batch.retrying > 0) return total;
  }
}

type DrainTotal = Awaited<ReturnType<typeof drain>>;

/** `count` drains of the same kind at once; SKIP LOCKED gives each its own devices. */
async function drainInParallel(count: number, run: () => Promise<DrainTotal>): Promise<DrainTotal> {
  const totals = await Promise.all(Array.from({ length: count }, run));
  return totals.reduce((sum, total) => ({
    done: sum.done + total.done,
    retired: sum.retired + total.retired,
    retrying: sum.retrying + total.retrying,
  }));
}

/**
 * Subscribes the devices that should hear notices and are not on the topic, those of
 * `deviceIds` or all, in drains of TOPIC_BATCH_LIMIT claimed with SKIP LOCKED: a device being
 * subscribed by another drain or worker is skipped, never subscribed twice. A token FCM no
 * longer knows retires its device.
 */
function joinTopic(deps: NotificationDependencies, deviceIds?: readonly string[]): Promise<DrainTotal> {
  const inScope = deviceIds ? Prisma.sql`AND d.id = ANY(${[...deviceIds]}::uuid[])` : Prisma.empty;
  return drain(
    deps,
    (tx) => tx.$queryRaw`
      SELECT d.id AS key, d.token FROM ${DEVICES}
      WHERE d."topicSubscribedAt" IS NULL AND ${WANTS_NOTICES} ${inScope}
      ORDER BY d.id LIMIT ${TOPIC_BATCH_LIMIT} FOR UPDATE OF d SKIP LOCKED`,
    (tokens) => deps.push.subscribe(NOTICES_TOPIC, tokens),
    async (tx, done, retired) => {
      const now = new Date();
      await tx.device.updateMany({ where: { id: { in: done } }, data: { topicSubscribedAt: now } });
      await tx.device.updateMany({ where: { id: { in: retired } }, data: { invalidSince: now } });
    },
  );
}

/**
 * Puts these devices on the notices topic now (those whose users want notices and that no
 * other drain holds), without waiting for a sync. Without FCM credentials, nothing to do.
 */
export async function subscribeDevices(deps: NotificationDependencies, deviceIds: readonly string[]): Promise<TopicSyncTally> {
  if (deps.push.name === "LOG" || deviceIds.length === 0) return NO_TOPIC_CHANGES;
  const joined = await joinTopic(deps, deviceIds);
  return { subscribed: joined.done, unsubscribed: 0, retiredDevices: joined.retired, retrying: joined.retrying };
}

/**
 * Brings the notices topic in line with the devices table: unsubscribes the tokens of removed
 * devices and of users who no longer want notices, then subscribes the devices that should
 * hear them, TOPIC_CALL_CONCURRENCY calls at a time. Without FCM credentials there is no topic
 * to manage: the devices stay marked unsubscribed, so a worker with credentials subscribes them
 * later.
 */
export async function syncNoticeTopic(deps: NotificationDependencies): Promise<TopicSyncTally> {
  if (deps.push.name === "LOG") return NO_TOPIC_CHANGES;
  const unsubscribe = (tokens: string[]) => deps.push.unsubscribe(NOTICES_TOPIC, tokens);

  const removed = await drain(
    deps,
    (tx) => tx.$queryRaw`
      SELECT token AS key, token FROM topic_unsubscriptions ORDER BY "createdAt"
      LIMIT ${TOPIC_BATCH_LIMIT} FOR UPDATE SKIP LOCKED`,
    unsubscribe,
    // A token FCM no longer knows is off every topic already.
    async (tx, done, retired) => {
      await tx.topicUnsubscription.deleteMany({ where: { token: { in: [...done, ...retired] } } });
    },
  );
  const optedOut = await drain(
    deps,
    (tx) => tx.$queryRaw`
      SELECT d.id AS key, d.token FROM ${DEVICES}
      WHERE d."topicSubscribedAt" IS NOT NULL AND NOT (${WANTS_NOTICES})
      ORDER BY d.id LIMIT ${TOPIC_BATCH_LIMIT} FOR UPDATE OF d SKIP LOCKED`,
    unsubscribe,
    async (tx, done, retired) => {
      await tx.device.updateMany({ where: { id: { in: [...done, ...retired] } }, data: { topicSubscribedAt: null } });
    },
  );
  // One call at a time would leave the sync waiting on FCM's latency: 100,000 devices are 100
  // calls of 10 round trips each (firebase-admin sends a request per token, 100 at a time).
  // Each drain holds a database connection during its call.
  const joined = await drainInParallel(TOPIC_CALL_CONCURRENCY, () => joinTopic(deps));
  return {
    subscribed: joined.done,
    unsubscribed: removed.done + optedOut.done,
    retiredDevices: joined.retired,
    retrying: removed.retrying + optedOut.retrying + joined.retrying,
  };
}
