import { z } from "zod";
import { NotificationCategory, NotificationType } from "@daycarat/db/enums";
import { defineJob } from "./define-job.ts";

/**
 * A personal notification for one user: an inbox entry at once and a push to each of their
 * devices (deferred past quiet hours). `dedupeKey` names the event, so a job delivered twice
 * still notifies once.
 */
export const notifyUserJob = defineJob({
  name: "notification.personal",
  payload: z.object({
    userId: z.uuid(),
    type: z.enum(NotificationType),
    category: z.enum(NotificationCategory),
    title: z.string().min(1).max(100),
    body: z.string().min(1).max(1000),
    /** Where the notification leads, e.g. { episodeId }. */
    data: z.record(z.string(), z.string()),
    dedupeKey: z.string().min(1).max(200),
  }),
  // notify: workers hear of new jobs at once (LISTEN/NOTIFY) instead of at their next poll.
  queue: { notify: true, retryLimit: 5, retryDelay: 10, retryBackoff: true, retryDelayMax: 600, expireInSeconds: 120 },
  deadLetterQueue: "notification.personal.dead",
});

/**
 * Sends the pushes that are due: one notification's (after its quiet hours, or for a retry
 * with backoff), or, without an id, every due one. The schedule is the safety net that picks
 * up whatever a lost job or a crashed worker left pending.
 */
export const deliverPushesJob = defineJob({
  name: "push.deliver",
  payload: z.object({ notificationId: z.uuid().optional() }),
  queue: { notify: true, retryLimit: 5, retryDelay: 5, retryBackoff: true, retryDelayMax: 300, expireInSeconds: 5 * 60 },
  schedule: { cron: "* * * * *", timeZone: "Asia/Seoul" },
});

/**
 * Brings the notices topic in line with the devices table: subscribes devices that should
 * hear notices and unsubscribes removed or opted-out ones, in FCM's batches of 1,000.
 * Enqueued whenever a device or a user's push choices change; the schedule catches up.
 */
export const syncNoticeTopicJob = defineJob({
  name: "push.topic-sync",
  payload: z.object({}),
  queue: { notify: true, retryLimit: 5, retryDelay: 10, retryBackoff: true, retryDelayMax: 600, expireInSeconds: 10 * 60 },
  schedule: { cron: "*/5 * * * *", timeZone: "Asia/Seoul" },
});

/**
 * Puts newly registered devices on the notices topic at once: `devices.register` enqueues one
 * in the transaction that writes the device, and the worker takes them in batches (one FCM
 * call for many). A device its user does not want notices on, or one already subscribed or
 * being subscribed by a sync, is left alone.
 */
export const subscribeDeviceJob = defineJob({
  name: "push.topic-subscribe",
  payload: z.object({ deviceId: z.uuid() }),
  queue: { notify: true, retryLimit: 5, retryDelay: 10, retryBackoff: true, retryDelayMax: 600, expireInSeconds: 5 * 60 },
});

/** Publishes one notice at its time (a scheduled notice's job waits with `startAfter`). */
export const publishNoticeJob = defineJob({
  name: "notice.publish",
  payload: z.object({ noticeId: z.uuid() }),
  queue: { notify: true, retryLimit: 5, retryDelay: 10, retryBackoff: true, retryDelayMax: 600, expireInSeconds: 5 * 60 },
  deadLetterQueue: "notice.publish.dead",
});

/**
 * Every five minutes: fail (and report) notices left SCHEDULED or SENDING whose publish job
 * pg-boss gave up on by itself (the database down on its last attempt, its worker dead).
 */
export const sweepStuckNoticesJob = defineJob({
  name: "notice.sweep",
  payload: z.object({}),
  queue: { retryLimit: 1, expireInSeconds: 5 * 60 },
  schedule: { cron: "*/5 * * * *", timeZone: "Asia/Seoul" },
});

/** Mondays 10:00 in Korea: nudge users who recorded nothing this week. */
export const weeklyReminderJob = defineJob({
  name: "reminder.weekly",
  payload: z.object({}),
  queue: { retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  schedule: { cron: "0 10 * * 1", timeZone: "Asia/Seoul" },
});

/** Daily 20:00 in Korea: nudge users whose drafts sat untouched for 3+ days (once a week at most). */
export const draftReminderJob = defineJob({
  name: "reminder.drafts",
  payload: z.object({}),
  queue: { retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  schedule: { cron: "0 20 * * *", timeZone: "Asia/Seoul" },
});
