import { analyzeGemJob, sweepLostAnalysesJob } from "./analysis.ts";
import { housekeepingJob } from "./housekeeping.ts";
import { notifyUserJob } from "./notifications.ts";

/** Every job of the system; server and worker create their queues at start-up. */
export const allJobs = [analyzeGemJob, sweepLostAnalysesJob, notifyUserJob, housekeepingJob] as const;
