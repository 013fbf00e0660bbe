import { z } from "zod";
import { defineJob } from "./define-job.ts";

/**
 * A personal notification for one user: an inbox entry (and, with the notifications
 * feature, pushes to their devices). `dedupeKey` names the event, so a job delivered twice
 * still notifies once.
 */
export const notifyUserJob = defineJob({
  name: "notification.personal",
  payload: z.object({
    userId: z.uuid(),
    type: z.enum(["ANALYSIS_SUCCEEDED", "ANALYSIS_FAILED", "NOTICE", "WEEKLY_REMINDER", "DRAFT_REMINDER"]),
    category: z.enum(["AI_RESULT", "NOTICE", "REMINDER"]),
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
