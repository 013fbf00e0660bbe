import { setTimeout as sleep } from "node:timers/promises";
import { random } from "es-toolkit";
import type { DatabaseClient, Prisma } from "@daycarat/db";
import { analyzeGemJob, notifyUserJob, type JobQueue } from "@daycarat/jobs";
import type { LogMethods } from "@daycarat/logger";
import type { ConcurrencySlots } from "./concurrency-slots.ts";
import type { AnalysisModel, ModelCall } from "./model.ts";
import { ANALYSIS_CONTRACT_VERSION, buildAnalysisMessages, type AnalysisSubject } from "./prompt.ts";

export interface AnalysisRunner {
  db: DatabaseClient;
  jobs: JobQueue;
  /** Undefined when no API key is configured: analyses then fail at once. */
  model: AnalysisModel | undefined;
  slots: ConcurrencySlots;
  maxAttempts: number;
  logger: LogMethods;
}

/** A 429's retry-after is honoured up to this long; beyond it the attempt waits this long. */
const MAX_RETRY_AFTER_MS = 60_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

const analysisToRun = {
  id: true,
  userId: true,
  status: true,
  gemVersion: true,
  attempts: true,
  user: { select: { jobTitle: true, strengths: true } },
  gem: {
    select: {
      version: true,
      situation: true,
      objective: true,
      action: true,
      result: true,
      aftermath: true,
      // The newest analysis of the gem: only that one may still count.
      analyses: { orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 1, select: { id: true } },
      episode: {
        select: {
          id: true,
          title: true,
          activityTag: { select: { name: true } },
          contents: { orderBy: { position: "asc" }, select: { type: true, content: true } },
        },
      },
    },
  },
} satisfies Prisma.AnalysisSelect;

type AnalysisToRun = Prisma.AnalysisGetPayload<{ select: typeof analysisToRun }>;

function loadAnalysis(db: DatabaseClient | Prisma.TransactionClient, analysisId: string): Promise<AnalysisToRun | null> {
  return db.analysis.findUnique({ where: { id: analysisId }, select: analysisToRun });
}

const isSettled = (analysis: AnalysisToRun) => analysis.status === "SUCCEEDED" || analysis.status === "FAILED";

/** An answer for a gem deleted, edited or analysed again since is of no use to anyone. */
function isStale(analysis: AnalysisToRun): boolean {
  const { gem } = analysis;
  return gem?.version !== analysis.gemVersion || gem.analyses[0]?.id !== analysis.id;
}

function subjectOf(analysis: AnalysisToRun & { gem: NonNullable<AnalysisToRun["gem"]> }): AnalysisSubject {
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

/**
 * Settles the analysis under a row lock, unless a parallel delivery of the same job settled
 * it first: then nothing is written and nobody is notified twice. An answer that became
 * stale meanwhile is dropped instead of stored.
 */
async function settle(
  runner: AnalysisRunner,
  analysisId: string,
  write: (tx: Prisma.TransactionClient, analysis: AnalysisToRun) => Promise<void>,
): Promise<void> {
  await runner.db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM analyses WHERE id = ${analysisId}::uuid FOR UPDATE`;
    const analysis = await loadAnalysis(tx, analysisId);
    if (!analysis || isSettled(analysis)) return;
    if (isStale(analysis)) {
      await markStale(tx, analysisId);
      return;
    }
    await write(tx, analysis);
  });
}

/** Dropped without a word to the user: they changed the gem, and its newest analysis is what counts. */
function markStale(db: DatabaseClient | Prisma.TransactionClient, analysisId: string) {
  return db.analysis.updateMany({
    where: { id: analysisId, status: { in: ["PENDING", "RUNNING"] } },
    data: { status: "FAILED", failureReason: "GEM_CHANGED", finishedAt: new Date() },
  });
}

function notificationData(analysis: AnalysisToRun) {
  return { episodeId: analysis.gem?.episode.id ?? "", analysisId: analysis.id };
}

async function succeed(runner: AnalysisRunner, analysisId: string, call: Extract<ModelCall, { outcome: "answered" }>) {
  await settle(runner, analysisId, async (tx, analysis) => {
    const episode = analysis.gem?.episode;
    await tx.analysis.update({
      where: { id: analysisId },
      data: {
        status: "SUCCEEDED",
        keyword: call.answer.keyword,
        sentences: call.answer.sentences,
        model: call.model,
        promptVersion: ANALYSIS_CONTRACT_VERSION,
        promptTokens: call.promptTokens,
        completionTokens: call.completionTokens,
        failureReason: null,
        finishedAt: new Date(),
      },
    });
    // The user's own choice of keyword always wins over the AI's.
    await tx.episode.updateMany({
      where: { id: episode?.id, keywordChosenByUser: false },
      data: { keyword: call.answer.keyword },
    });
    await runner.jobs.enqueue(tx, notifyUserJob, {
      userId: analysis.userId,
      type: "ANALYSIS_SUCCEEDED",
      category: "AI_RESULT",
      title: "보석 가공이 완료되었어요",
      body: `'${episode?.title ?? ""}' 경험의 역량 키워드와 자기소개서 추천 문장을 확인해 보세요.`,
      data: notificationData(analysis),
      dedupeKey: `analysis:${analysisId}:succeeded`,
    });
  });
  runner.logger.info({ analysisId, keyword: call.answer.keyword }, "analysis succeeded");
}

/** FAILED for good: the user is told, and the job is parked in the dead-letter queue. */
async function fail(runner: AnalysisRunner, analysisId: string, reason: string) {
  await settle(runner, analysisId, async (tx, analysis) => {
    await tx.analysis.update({
      where: { id: analysisId },
      data: { status: "FAILED", failureReason: reason, finishedAt: new Date() },
    });
    await runner.jobs.enqueue(tx, notifyUserJob, {
      userId: analysis.userId,
      type: "ANALYSIS_FAILED",
      category: "AI_RESULT",
      title: "보석 가공에 실패했어요",
      body: `'${analysis.gem?.episode.title ?? ""}' 경험을 분석하지 못했어요. 잠시 후 다시 시도해 주세요.`,
      data: notificationData(analysis),
      dedupeKey: `analysis:${analysisId}:failed`,
    });
    await runner.jobs.deadLetter(tx, analyzeGemJob, { analysisId }, reason);
  });
  runner.logger.error({ analysisId, reason }, "analysis failed");
}

async function startAttempt(db: DatabaseClient, analysisId: string, attempt: number): Promise<boolean> {
  const { count } = await db.analysis.updateMany({
    where: { id: analysisId, status: { in: ["PENDING", "RUNNING"] } },
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
async function callModel(runner: AnalysisRunner, model: AnalysisModel, analysis: AnalysisToRun, signal?: AbortSignal) {
  if (!analysis.gem) return;
  const messages = buildAnalysisMessages(subjectOf({ ...analysis, gem: analysis.gem }));
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
  const analysis = await loadAnalysis(runner.db, analysisId);
  // Gone with its user, or settled by an earlier delivery of this job.
  if (!analysis || isSettled(analysis)) return;
  if (isStale(analysis)) {
    await markStale(runner.db, analysisId);
    return;
  }
  if (!runner.model) {
    await fail(runner, analysisId, "AI_NOT_CONFIGURED");
    return;
  }
  await callModel(runner, runner.model, analysis, signal);
}

/** An unsettled analysis untouched this long has outlived its job (expiry 15 min) and its retries. */
const LOST_AFTER_MINUTES = 20;

/**
 * Fails the analyses whose job is gone while they were never settled: a job whose worker died
 * on every retry is dead-lettered by pg-boss itself, and nothing would tell the user. Runs on
 * a schedule; returns how many it failed.
 */
export async function failLostAnalyses(runner: AnalysisRunner): Promise<number> {
  const unsettled = await runner.db.analysis.findMany({
    where: { status: { in: ["PENDING", "RUNNING"] }, updatedAt: { lt: new Date(Date.now() - LOST_AFTER_MINUTES * 60_000) } },
    select: { id: true },
  });
  const lost = await runner.jobs.withoutLiveJob(analyzeGemJob, "analysisId", unsettled.map((analysis) => analysis.id));
  for (const id of lost) await fail(runner, id, "AI_WORKER_LOST");
  return lost.length;
}
