import type { DatabaseClient } from "@daycarat/db";

/** Read notifications stay in the inbox this long; unread ones stay until read. */
export const READ_NOTIFICATION_RETENTION_DAYS = 90;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface HousekeepingResult {
  expiredSessions: number;
  oldReadNotifications: number;
}

/** Deletes refresh sessions past their expiry and read notifications past retention. */
export async function deleteExpiredData(db: DatabaseClient, now: Date = new Date()): Promise<HousekeepingResult> {
  const readBefore = new Date(now.getTime() - READ_NOTIFICATION_RETENTION_DAYS * DAY_MS);
  const [sessions, notifications] = await db.$transaction([
    db.session.deleteMany({ where: { expiresAt: { lt: now } } }),
    db.notification.deleteMany({ where: { readAt: { lt: readBefore } } }),
  ]);
  return { expiredSessions: sessions.count, oldReadNotifications: notifications.count };
}
