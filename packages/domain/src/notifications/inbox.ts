import { v7 as uuidv7 } from "uuid";
import type { DatabaseClient, NotificationCategory, Prisma } from "@daycarat/db";
import { deliverPushesJob, type JobPayload, type JobQueue, type notifyUserJob } from "@daycarat/jobs";
import type { PushOutcome, PushTransport } from "@daycarat/push";
import { DEFAULT_QUIET_HOURS, endOfQuietHours } from "./quiet-hours.ts";

export type NotificationRequest = JobPayload<typeof notifyUserJob>;

/** What writing notifications and sending their pushes needs. */
export interface NotificationDependencies {
  db: DatabaseClient;
  jobs: JobQueue;
  push: PushTransport;
  /** Told of the pushes held back when their entries are written (deferred, skipped); the transport's own sends are counted where it is made. */
  countPushes?: (outcome: PushOutcome, count: number) => void;
}

/**
 * Postgres channel announcing new inbox entries (payload: the user id), so every server
 * process can wake its live subscriptions, whichever process wrote the entry.
 */
export const NOTIFICATION_CHANNEL = "daycarat_notification_created";

const CATEGORY_PREFERENCE = { AI_RESULT: "aiResults", NOTICE: "notices", REMINDER: "reminders" } as const;

/** A user about to be notified, with their push choices (null columns: no preferences row) and live devices. */
interface Recipient {
  id: string;
  pushAllowed: boolean;
  timeZone: string;
  aiResults: boolean | null;
  notices: boolean | null;
  reminders: boolean | null;
  quietHoursEnabled: boolean | null;
  quietHoursStart: number | null;
  quietHoursEnd: number | null;
  deviceIds: string[];
}

/** Whether the user takes pushes of this category, and from when (quiet hours defer them). */
function pushPlan(recipient: Recipient, category: NotificationCategory, now: Date) {
  const wanted = recipient.pushAllowed && (recipient[CATEGORY_PREFERENCE[category]] ?? true);
  const quietHours =
    recipient.quietHoursEnabled === null
      ? DEFAULT_QUIET_HOURS
      : { enabled: recipient.quietHoursEnabled, start: recipient.quietHoursStart ?? 0, end: recipient.quietHoursEnd ?? 0 };
  const deferredUntil = wanted ? endOfQuietHours(quietHours, recipient.timeZone, now) : undefined;
  return { deferredUntil, status: !wanted ? "SKIPPED" : deferredUntil ? "DEFERRED" : "PENDING" };
}

/**
 * Locks the users' rows (in id order, see recordNotifications) and reads what planning their
 * pushes needs, in one statement: deleted users are simply absent.
 */
function lockRecipients(tx: Prisma.TransactionClient, userIds: string[]): Promise<Recipient[]> {
  return tx.$queryRaw<Recipient[]>`
    SELECT u.id, u."pushAllowed", u."timeZone", p."aiResults", p.notices, p.reminders,
           p."quietHoursEnabled", p."quietHoursStart", p."quietHoursEnd",
           ARRAY(SELECT d.id::text FROM devices d WHERE d."userId" = u.id AND d."invalidSince" IS NULL ORDER BY d.id) AS "deviceIds"
    FROM users u LEFT JOIN notification_preferences p ON p."userId" = u.id
    WHERE u.id = ANY(${userIds}::uuid[])
    ORDER BY u.id
    FOR NO KEY UPDATE OF u`;
}

export interface CreatedEntry {
  id: string;
  userId: string;
  dedupeKey: string;
}

/**
 * Writes inbox entries and their per-device deliveries in one transaction, and announces
 * them on NOTIFICATION_CHANNEL at commit. Each entry's push is PENDING (sent by the caller
 * or the next `push.deliver`), DEFERRED to the end of the user's quiet hours (a delayed
 * `push.deliver` is enqueued in the same transaction), or SKIPPED when the user turned
 * pushes or the category off; the inbox entry appears regardless.
 *
 * The (user, dedupe key) unique index makes a repeated request a no-op. The users' rows are
 * locked first so that each user's entries commit in the order of their `seq`, which the
 * live feed's cursor relies on. Users deleted meanwhile get nothing. Set-based: a statement
 * for the recipients, one for the entries with their deliveries, one for the announcement,
 * whatever the number of requests.
 */
function countHeldPushes(deps: NotificationDependencies, statuses: readonly string[]): void {
  if (!deps.countPushes) return;
  const deferred = statuses.filter((status) => status === "DEFERRED").length;
  const skipped = statuses.filter((status) => status === "SKIPPED").length;
  if (deferred > 0) deps.countPushes("deferred", deferred);
  if (skipped > 0) deps.countPushes("skipped", skipped);
}

export async function recordNotifications(
  deps: NotificationDependencies,
  requests: readonly NotificationRequest[],
  now = new Date(),
): Promise<CreatedEntry[]> {
  if (requests.length === 0) return [];
  // Counted once committed, so that a transaction that fails and is retried counts once.
  let writtenStatuses: string[] = [];
  const created = await deps.db.$transaction(
    async (tx) => {
      const userIds = [...new Set(requests.map((request) => request.userId))].sort();
      const recipients = new Map((await lockRecipients(tx, userIds)).map((recipient) => [recipient.id, recipient]));
      const entries = requests.flatMap((request) => {
        const recipient = recipients.get(request.userId);
        return recipient ? [{ id: uuidv7(), request, recipient, ...pushPlan(recipient, request.category, now) }] : [];
      });
      if (entries.length === 0) return [];
      const deliveries = entries.flatMap((entry) =>
        entry.recipient.deviceIds.map((deviceId) => ({ id: uuidv7(), notificationId: entry.id, deviceId, entry })),
      );
      // Deliveries are written only for the entries the insert did not skip as duplicates.
      const created = await tx.$queryRaw<CreatedEntry[]>`
        WITH created AS (
          INSERT INTO notifications (id, "userId", type, category, title, body, data, "dedupeKey")
          SELECT * FROM unnest(
            ${entries.map((entry) => entry.id)}::uuid[], ${entries.map((entry) => entry.request.userId)}::uuid[],
            ${entries.map((entry) => entry.request.type)}::"NotificationType"[],
            ${entries.map((entry) => entry.request.category)}::"NotificationCategory"[],
            ${entries.map((entry) => entry.request.title)}::text[], ${entries.map((entry) => entry.request.body)}::text[],
            ${entries.map((entry) => JSON.stringify(entry.request.data))}::jsonb[], ${entries.map((entry) => entry.request.dedupeKey)}::text[])
          ON CONFLICT ("userId", "dedupeKey") DO NOTHING
          RETURNING id, "userId", "dedupeKey"
        ), planned_deliveries AS (
          INSERT INTO notification_deliveries (id, "notificationId", "deviceId", status, transport, "deferredUntil", "updatedAt")
          SELECT planned.id, planned.notification_id, planned.device_id, planned.status::"DeliveryStatus", ${deps.push.name},
                 planned.deferred_until, now()
          FROM unnest(
            ${deliveries.map((delivery) => delivery.id)}::uuid[], ${deliveries.map((delivery) => delivery.notificationId)}::uuid[],
            ${deliveries.map((delivery) => delivery.deviceId)}::uuid[], ${deliveries.map((delivery) => delivery.entry.status)}::text[],
            ${deliveries.map((delivery) => delivery.entry.deferredUntil?.toISOString() ?? null)}::timestamptz[]
          ) AS planned(id, notification_id, device_id, status, deferred_until)
          JOIN created ON created.id = planned.notification_id
        )
        SELECT id::text, "userId"::text, "dedupeKey" FROM created`;
      if (created.length === 0) return [];

      const createdIds = new Set(created.map((entry) => entry.id));
      writtenStatuses = deliveries.filter((delivery) => createdIds.has(delivery.notificationId)).map((delivery) => delivery.entry.status);
      // One delayed drain per distinct end of quiet hours (they share minute boundaries).
      const wakeUps = new Set(
        entries.flatMap((entry) => (entry.deferredUntil && createdIds.has(entry.id) ? [entry.deferredUntil.getTime()] : [])),
      );
      for (const time of wakeUps) {
        await deps.jobs.enqueue(tx, deliverPushesJob, {}, { startAfter: new Date(time) });
      }
      const notifiedUsers = [...new Set(created.map((entry) => entry.userId))];
      await tx.$executeRaw`SELECT pg_notify(${NOTIFICATION_CHANNEL}, user_id) FROM unnest(${notifiedUsers}::text[]) AS user_id`;
      return created;
    },
    { timeout: 60_000 },
  );
  countHeldPushes(deps, writtenStatuses);
  return created;
}

/** The ids of the entries that earlier deliveries of these requests wrote (by user and dedupe key). */
export async function findNotifications(db: DatabaseClient, requests: readonly NotificationRequest[]): Promise<string[]> {
  if (requests.length === 0) return [];
  const entries = await db.$queryRaw<{ id: string }[]>`
    SELECT n.id::text FROM notifications n
    JOIN unnest(${requests.map((request) => request.userId)}::uuid[], ${requests.map((request) => request.dedupeKey)}::text[])
      AS r(user_id, dedupe_key) ON n."userId" = r.user_id AND n."dedupeKey" = r.dedupe_key`;
  return entries.map((entry) => entry.id);
}
