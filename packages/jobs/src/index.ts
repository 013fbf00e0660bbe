export { defineJob, type JobDefinition, type JobPayload } from "./define-job.ts";
export { analyzeGemJob, sweepLostAnalysesJob } from "./analysis.ts";
export { housekeepingJob } from "./housekeeping.ts";
export {
  deliverPushesJob,
  draftReminderJob,
  notifyUserJob,
  publishNoticeJob,
  syncNoticeTopicJob,
  weeklyReminderJob,
} from "./notifications.ts";
export {
  createJobQueue,
  startJobQueue,
  enqueue,
  enqueueDeadLetter,
  enqueueInTransaction,
  work,
  workBatches,
  JOB_QUEUE_SCHEMA,
  type JobHandler,
  type SqlExecutor,
} from "./job-queue.ts";
export { allJobs } from "./all-jobs.ts";
export { describeQueues, type QueueHealth } from "./queue-health.ts";
