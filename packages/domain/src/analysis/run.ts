import { setTimeout as sleep } from "node:timers/promises";
import { random } from "es-toolkit/math/random";
import type { DatabaseClient } from "@daycarat/db";
import type { ConcurrencySlots } from "./concurrency-slots.ts";
import type { AnalysisModel, ModelCall } from "./model-call.ts";
import { buildAnalysisMessages, type AnalysisSubject } from "./prompt.ts";
import { fail, loadLiveAnalysis, succeed, UNSETTLED_STATUSES, type LiveAnalysis, type SettleDependencies } from "./settle.ts";

export interface AnalysisRunner extends SettleDependencies {
  /** Undefined when no API key is configured: analyses then fail at once. */
  model: AnalysisModel | undefined;
  slots: ConcurrencySlots;
  maxAttempts: number;
}

/** A 429's retry-after is honoured up to this long; beyond it the attempt waits this long. */
const MAX_RETRY_AFTER_MS = 60_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

function subjectOf(analysis: LiveAnalysis): AnalysisSubject {
  const { gem, user } = analysis;
  return {
    jobTitle: user.jobTitle,
    strengths: user.strengths,
    title: gem.episode.title,
    activity: gem.episode.activityTag.name,
    contents: gem.episode.contents,
    gem: {
      situation: gem.situation ?? "",
      objective: gem.objective ?? "",
      action: gem.action ?? "",
      result: gem.result ?? "",
      aftermath: gem.aftermath ?? "",
    },
  };
}

/** Backoff with jitter for 5xx and timeouts; a 429's own retry-after; nothing for a bad answer. */
function delayBeforeRetry(call: Exclude<ModelCall, { outcome: "answered" | "rejected" }>, attempt: number): number {
  const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)) * random(0.5, 1.5);
  if (call.outcome === "invalid") return 0;
  if (call.outcome === "rate-limited") return Math.min(MAX_RETRY_AFTER_MS, call.retryAfterMs ?? backoff);
  return backoff;
}

async function startAttempt(db: DatabaseClient, analysisId: string, attempt: number): Promise<boolean> {
  const { count } = await db.analysis.updateMany({
    where: { id: analysisId, status: { in: UNSETTLED_STATUSES } },
    data: { status: "RUNNING", attempts: attempt, startedAt: new Date() },
  });
  return count === 1;
}

async function recordAttempt(db: DatabaseClient, analysisId: string, outcome: string): Promise<void> {
  const entry = JSON.stringify([{ at: new Date().toISOString(), outcome }]);
  await db.$executeRaw`UPDATE analyses SET "attemptLog" = "attemptLog" || ${entry}::jsonb WHERE id = ${analysisId}::uuid`;
}

/**
 * Asks the model until it answers within the contract or the attempts run out. Attempts are
 * counted on the row, so a run that resumes the job of a dead worker continues the count.
 */
async function callModel(runner: AnalysisRunner, model: AnalysisModel, analysis: LiveAnalysis, signal?: AbortSignal) {
  const messages = buildAnalysisMessages(subjectOf(analysis));
  let lastReason = "AI_NO_ATTEMPT_LEFT";
  for (let attempt = analysis.attempts + 1; attempt <= runner.maxAttempts; attempt++) {
    if (!(await startAttempt(runner.db, analysis.id, attempt))) return;
    // A slot is held for the call only, not through the wait before a retry.
    const call = await runner.slots.run(() => model.analyze(messages, signal), signal);
    await recordAttempt(runner.db, analysis.id, call.outcome === "answered" ? "ANSWERED" : call.reason);
    if (call.outcome === "answered") return succeed(runner, analysis.id, call);
    if (call.outcome === "rejected") return fail(runner, analysis.id, call.reason);
    runner.logger.warn({ analysisId: analysis.id, attempt, reason: call.reason }, "analysis attempt failed");
    lastReason = call.reason;
    if (attempt < runner.maxAttempts) await sleep(delayBeforeRetry(call, attempt), undefined, { signal });
  }
  return fail(runner, analysis.id, lastReason);
}

/** Runs one analysis job: safe to run again for the same analysis (redelivery, a dead worker's job). */
export async function runAnalysis(runner: AnalysisRunner, analysisId: string, signal?: AbortSignal): Promise<void> {
  // Gone with its user, settled by an earlier delivery of this job, or stale.
  const analysis = await loadLiveAnalysis(runner.db, analysisId);
  if (!analysis) return;
  if (!runner.model) {
    await fail(runner, analysisId, "AI_NOT_CONFIGURED");
    return;
  }
  await callModel(runner, runner.model, analysis, signal);
}
