import { analyzeGemJob } from "@daycarat/jobs";
import { fail, UNSETTLED_STATUSES, type SettleDependencies } from "./settle.ts";

/** An unsettled analysis untouched this long has outlived its job (expiry 15 min) and its retries. */
const LOST_AFTER_MINUTES = 20;

/**
 * Fails the analyses whose job is gone while they were never settled: a job whose worker died
 * on every retry is dead-lettered by pg-boss itself, and nothing would tell the user. Runs on
 * a schedule; returns how many it failed.
 */
export async function failLostAnalyses(deps: SettleDependencies): Promise<number> {
  const unsettled = await deps.db.analysis.findMany({
    where: { status: { in: UNSETTLED_STATUSES }, updatedAt: { lt: new Date(Date.now() - LOST_AFTER_MINUTES * 60_000) } },
    select: { id: true },
  });
  const lost = await deps.jobs.withoutLiveJob(
    analyzeGemJob,
    "analysisId",
    unsettled.map((analysis) => analysis.id),
  );
  for (const id of lost) await fail(deps, id, "AI_WORKER_LOST");
  return lost.length;
}
