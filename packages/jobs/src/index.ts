export { defineJob, type JobDefinition, type JobPayload } from "./define-job.ts";
export { housekeepingJob } from "./housekeeping.ts";
export { createJobQueue, ensureQueues, enqueue, work, JOB_QUEUE_SCHEMA, type JobHandler } from "./job-queue.ts";

import { housekeepingJob } from "./housekeeping.ts";

/** Every job the worker runs; the worker creates their queues at start-up. */
export const allJobs = [housekeepingJob] as const;
