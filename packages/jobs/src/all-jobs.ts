import { analyzeGemJob } from "./analysis.ts";
import { housekeepingJob } from "./housekeeping.ts";

/** Every job of the system; server and worker create their queues at start-up. */
export const allJobs = [analyzeGemJob, housekeepingJob] as const;
