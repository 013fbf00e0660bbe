import type { DatabaseClient } from "@daycarat/db";

/** Read notifications stay in the inbox this long; unread ones stay until read. */
export const READ_NOTIFICATION_RETENTION_DAYS = 90;

/** Analyses of deleted gems are kept only while they count against a daily quota. */
export const DETACHED_ANALYSIS_RETENTION_DAYS = 2;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface HousekeepingResult {
  expiredSessions: number;
  oldReadNotifications: number;
  detachedAnalyses: number;
}

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

/** Deletes refresh sessions past their expiry, and read notifications and detached analyses past retention. */
export async function deleteExpiredData(db: DatabaseClient, now: Date = new Date()): Promise<HousekeepingResult> {
  const [sessions, notifications, analyses] = await db.$transaction([
    db.session.deleteMany({ where: { expiresAt: { lt: now } } }),
    db.notification.deleteMany({ where: { readAt: { lt: daysBefore(now, READ_NOTIFICATION_RETENTION_DAYS) } } }),
    db.analysis.deleteMany({ where: { gemId: null, createdAt: { lt: daysBefore(now, DETACHED_ANALYSIS_RETENTION_DAYS) } } }),
  ]);
  return { expiredSessions: sessions.count, oldReadNotifications: notifications.count, detachedAnalyses: analyses.count };
}
