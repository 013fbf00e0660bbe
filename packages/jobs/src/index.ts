export { defineJob, type JobDefinition, type JobPayload } from "./define-job.ts";
export { analyzeGemJob } from "./analysis.ts";
export { housekeepingJob } from "./housekeeping.ts";
export {
  createJobQueue,
  ensureQueues,
  startJobQueue,
  enqueue,
  enqueueInTransaction,
  work,
  JOB_QUEUE_SCHEMA,
  type JobHandler,
  type SqlExecutor,
} from "./job-queue.ts";
export { allJobs } from "./all-jobs.ts";
