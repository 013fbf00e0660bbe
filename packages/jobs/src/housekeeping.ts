import { z } from "zod";
import { defineJob } from "./define-job.ts";

/** Deletes expired sessions, old read notifications and detached analyses, nightly in Korean time. */
export const housekeepingJob = defineJob({
  name: "maintenance.housekeeping",
  payload: z.object({}),
  queue: { retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  schedule: { cron: "30 4 * * *", timeZone: "Asia/Seoul" },
});
