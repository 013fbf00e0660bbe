import { chunk } from "es-toolkit/array/chunk";
import { deliverDuePushes, type DeliveryTally } from "../notifications/deliver.ts";
import { recordNotifications, type NotificationDependencies, type NotificationRequest } from "../notifications/inbox.ts";

/** The reminders run on Korean schedules; an occurrence is named by its date there. */
export const REMINDER_TIME_ZONE = "Asia/Seoul";

/** Entries written (and their pushes sent) per transaction. */
const REMINDERS_PER_CHUNK = 1_000;

export interface ReminderTally {
  usersReminded: number;
  pushes: DeliveryTally;
}

/** The calendar date (YYYY-MM-DD) of an instant in Korea. */
export function koreanDate(at: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: REMINDER_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** The date (YYYY-MM-DD) of the Monday that starts the Korean week of an instant. */
export function koreanWeekStart(at: Date): string {
  const date = new Date(`${koreanDate(at)}T00:00:00Z`);
  const daysSinceMonday = (date.getUTCDay() + 6) % 7;
  date.setUTCDate(date.getUTCDate() - daysSinceMonday);
  return date.toISOString().slice(0, 10);
}

/**
 * Writes one reminder per target, in chunks, and sends each chunk's due pushes. Entries that
 * exist already (the same occurrence run twice) are skipped by their dedupe key; pushes a
 * crash leaves unsent are picked up by the scheduled `push.deliver`.
 */
export async function sendReminders<Target>(
  deps: NotificationDependencies,
  targets: readonly Target[],
  toRequest: (target: Target) => NotificationRequest,
  now: Date,
): Promise<ReminderTally> {
  const tally: ReminderTally = { usersReminded: 0, pushes: { sent: 0, failed: 0, retrying: 0, retiredDevices: 0 } };
  for (const targetChunk of chunk(targets, REMINDERS_PER_CHUNK)) {
    const created = await recordNotifications(deps, targetChunk.map(toRequest), now);
    if (created.length === 0) continue;
    tally.usersReminded += created.length;
    const pushes = await deliverDuePushes(deps, { notificationIds: created.map((entry) => entry.id) });
    for (const key of Object.keys(tally.pushes) as (keyof DeliveryTally)[]) tally.pushes[key] += pushes[key];
  }
  return tally;
}
