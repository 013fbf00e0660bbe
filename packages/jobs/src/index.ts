export { defineJob, type JobDefinition, type JobPayload } from "./define-job.ts";
export { analyzeGemJob, sweepLostAnalysesJob } from "./analysis.ts";
export { housekeepingJob } from "./housekeeping.ts";
export {
  deliverPushesJob,
  draftReminderJob,
  notifyUserJob,
  publishNoticeJob,
  sweepStuckNoticesJob,
  syncNoticeTopicJob,
  weeklyReminderJob,
} from "./notifications.ts";
export { startJobQueue, type JobQueue, type JobTransaction } from "./job-queue.ts";
export { allJobs } from "./all-jobs.ts";
export { type QueueHealth } from "./queue-health.ts";
