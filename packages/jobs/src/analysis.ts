import { z } from "zod";
import { defineJob } from "./define-job.ts";

/**
 * Analyse one gem version with the AI. Enqueued by `gems.submit` and `gems.retryAnalysis` in
 * the same transaction that creates the PENDING analysis row the payload names, in the
 * user's group so that each user has one analysis running at a time.
 *
 * Retrying model calls happens inside one run of the job (it knows retry-after and whether
 * an answer was valid); the queue's own retries only recover runs that died with their
 * worker, noticed by missing heartbeats (every queue has one, see job-queue.ts).
 */
export const analyzeGemJob = defineJob({
  name: "analysis.run",
  payload: z.object({ analysisId: z.uuid() }),
  // notify: workers hear of new jobs at once (LISTEN/NOTIFY) instead of at their next poll.
  queue: { notify: true, retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 },
  deadLetterQueue: "analysis.dead",
});

/** Every five minutes: fail (and tell the user about) analyses whose job was lost for good. */
export const sweepLostAnalysesJob = defineJob({
  name: "analysis.sweep",
  payload: z.object({}),
  queue: { retryLimit: 1, expireInSeconds: 5 * 60 },
  schedule: { cron: "*/5 * * * *", timeZone: "Asia/Seoul" },
});
