import { analyzeGemJob, sweepLostAnalysesJob } from "./analysis.ts";
import { housekeepingJob } from "./housekeeping.ts";
import {
  deliverPushesJob,
  draftReminderJob,
  notifyUserJob,
  publishNoticeJob,
  subscribeDeviceJob,
  sweepStuckNoticesJob,
  syncNoticeTopicJob,
  weeklyReminderJob,
} from "./notifications.ts";

/** Every job of the system; server and worker create their queues at start-up. */
export const allJobs = [
  analyzeGemJob,
  sweepLostAnalysesJob,
  notifyUserJob,
  deliverPushesJob,
  syncNoticeTopicJob,
  subscribeDeviceJob,
  publishNoticeJob,
  sweepStuckNoticesJob,
  weeklyReminderJob,
  draftReminderJob,
  housekeepingJob,
] as const;
