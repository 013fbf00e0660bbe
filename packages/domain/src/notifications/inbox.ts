import { type Prisma, type DatabaseClient, type NotificationCategory } from "@daycarat/db";
import { deliverPushesJob, type JobPayload, type JobQueue, type notifyUserJob } from "@daycarat/jobs";
import type { PushTransport } from "@daycarat/push";
import { DEFAULT_QUIET_HOURS, endOfQuietHours } from "./quiet-hours.ts";

export type NotificationRequest = JobPayload<typeof notifyUserJob>;

/** What writing notifications and sending their pushes needs. */
export interface NotificationDependencies {
  db: DatabaseClient;
  jobs: JobQueue;
  push: PushTransport;
}

/**
 * Postgres channel announcing new inbox entries (payload: the user id), so every server
 * process can wake its live subscriptions, whichever process wrote the entry.
 */
export const NOTIFICATION_CHANNEL = "daycarat_notification_created";

const CATEGORY_PREFERENCE = { AI_RESULT: "aiResults", NOTICE: "notices", REMINDER: "reminders" } as const;

interface Recipient {
  id: string;
  pushAllowed: boolean;
  timeZone: string;
  notificationPreferences: Prisma.NotificationPreferenceGetPayload<object> | null;
  devices: { id: string }[];
}

/** Whether the user takes pushes of this category, and from when (quiet hours defer them). */
function pushPlan(recipient: Recipient, category: NotificationCategory, now: Date) {
  const preferences = recipient.notificationPreferences;
  const wanted = recipient.pushAllowed && (preferences?.[CATEGORY_PREFERENCE[category]] ?? true);
  const quietHours = preferences
    ? { enabled: preferences.quietHoursEnabled, start: preferences.quietHoursStart, end: preferences.quietHoursEnd }
    : DEFAULT_QUIET_HOURS;
  return { wanted, deferredUntil: wanted ? endOfQuietHours(quietHours, recipient.timeZone, now) : undefined };
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
 * live feed's cursor relies on. Users deleted meanwhile get nothing.
 */
export async function recordNotifications(
  deps: NotificationDependencies,
  requests: readonly NotificationRequest[],
  now = new Date(),
): Promise<{ id: string; userId: string }[]> {
  if (requests.length === 0) return [];
  return deps.db.$transaction(
    async (tx) => {
      const userIds = [...new Set(requests.map((request) => request.userId))].sort();
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM users WHERE id = ANY(${userIds}::uuid[]) ORDER BY id FOR NO KEY UPDATE`;
      const existing = new Set(locked.map((user) => user.id));
      const created = await tx.notification.createManyAndReturn({
        data: requests.filter((request) => existing.has(request.userId)),
        skipDuplicates: true,
        select: { id: true, userId: true, category: true },
      });
      if (created.length === 0) return [];

      const recipients = new Map(
        (
          await tx.user.findMany({
            where: { id: { in: [...new Set(created.map((entry) => entry.userId))] } },
            select: {
              id: true,
              pushAllowed: true,
              timeZone: true,
              notificationPreferences: true,
              devices: { where: { invalidSince: null }, select: { id: true } },
            },
          })
        ).map((recipient) => [recipient.id, recipient]),
      );
      const deliveries: Prisma.NotificationDeliveryCreateManyInput[] = [];
      const wakeUps = new Set<number>();
      for (const entry of created) {
        const recipient = recipients.get(entry.userId);
        if (!recipient) continue;
        const { wanted, deferredUntil } = pushPlan(recipient, entry.category, now);
        if (deferredUntil) wakeUps.add(deferredUntil.getTime());
        const status = !wanted ? "SKIPPED" : deferredUntil ? "DEFERRED" : "PENDING";
        for (const device of recipient.devices) {
          deliveries.push({ notificationId: entry.id, deviceId: device.id, status, transport: deps.push.name, deferredUntil });
        }
      }
      await tx.notificationDelivery.createMany({ data: deliveries });
      // One delayed drain per distinct end of quiet hours (they share minute boundaries).
      for (const time of wakeUps) {
        await deps.jobs.enqueue(tx, deliverPushesJob, {}, { startAfter: new Date(time) });
      }
      const notifiedUsers = [...new Set(created.map((entry) => entry.userId))];
      await tx.$executeRaw`SELECT pg_notify(${NOTIFICATION_CHANNEL}, user_id) FROM unnest(${notifiedUsers}::text[]) AS user_id`;
      return created.map(({ id, userId }) => ({ id, userId }));
    },
    { timeout: 60_000 },
  );
}

/** The ids of the entries the requests wrote, whether now or by an earlier delivery of the same jobs. */
export async function findNotifications(db: DatabaseClient, requests: readonly NotificationRequest[]): Promise<string[]> {
  if (requests.length === 0) return [];
  const entries = await db.notification.findMany({
    where: { OR: requests.map(({ userId, dedupeKey }) => ({ userId, dedupeKey })) },
    select: { id: true },
  });
  return entries.map((entry) => entry.id);
}
