export { defineJob, type JobDefinition, type JobPayload } from "./define-job.ts";
// Every job definition: its name, payload schema and queue policy.
export * from "./analysis.ts";
export * from "./housekeeping.ts";
export * from "./notifications.ts";
export { startJobQueue, type JobQueue, type JobRun, type JobTransaction } from "./job-queue.ts";
export { allJobs } from "./all-jobs.ts";
export { type QueueHealth } from "./queue-health.ts";
