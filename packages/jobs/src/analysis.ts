import { z } from "zod";
import { defineJob } from "./define-job.ts";

/**
 * Analyse one gem version with the AI. Enqueued by `gems.submit` and `gems.retryAnalysis` in
 * the same transaction that creates the PENDING analysis row the payload names.
 */
export const analyzeGemJob = defineJob({
  name: "analysis.run",
  payload: z.object({ analysisId: z.uuid() }),
  queue: { retryLimit: 4, retryDelay: 5, retryBackoff: true, retryDelayMax: 300, expireInSeconds: 300 },
  deadLetterQueue: "analysis.dead",
});
