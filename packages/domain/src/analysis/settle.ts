import type { AnalysisStatus, DatabaseClient, Prisma } from "@daycarat/db";
import { analyzeGemJob, notifyUserJob, type JobQueue } from "@daycarat/jobs";
import type { LogMethods } from "@daycarat/logger";
import { newestAnalysis, soaraAnswersSelect } from "./gem.ts";
import type { ModelCall } from "./model-call.ts";
import { ANALYSIS_CONTRACT_VERSION } from "./prompt.ts";

/** What settling an analysis needs: its row, the jobs that tell the user, the log. */
export interface SettleDependencies {
  db: DatabaseClient;
  jobs: JobQueue;
  logger: LogMethods;
}

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
      ...soaraAnswersSelect,
      analyses: { ...newestAnalysis, select: { id: true } },
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

/** An analysis still to settle, of a gem that is still as it was when the analysis started. */
export type LiveAnalysis = AnalysisToRun & { gem: NonNullable<AnalysisToRun["gem"]> };

/** The statuses of an analysis still waiting for its answer; SUCCEEDED and FAILED are settled. */
export const UNSETTLED_STATUSES: AnalysisStatus[] = ["PENDING", "RUNNING"];

/**
 * The analysis, if it is still to settle and still of use. Null when it is gone or settled; null
 * too once it is marked stale, because its gem was deleted, edited or analysed again since. That
 * happens without a word to the user: they changed the gem, and its newest analysis is what counts.
 */
export async function loadLiveAnalysis(db: DatabaseClient | Prisma.TransactionClient, analysisId: string): Promise<LiveAnalysis | null> {
  const analysis = await db.analysis.findUnique({ where: { id: analysisId }, select: analysisToRun });
  if (!analysis || !UNSETTLED_STATUSES.includes(analysis.status)) return null;
  const { gem } = analysis;
  if (gem?.version === analysis.gemVersion && gem.analyses[0]?.id === analysis.id) return { ...analysis, gem };
  await db.analysis.updateMany({
    where: { id: analysisId, status: { in: UNSETTLED_STATUSES } },
    data: { status: "FAILED", failureReason: "GEM_CHANGED", finishedAt: new Date() },
  });
  return null;
}

/**
 * Settles the analysis under a row lock, unless a parallel delivery of the same job settled
 * it first: then nothing is written and nobody is notified twice. An answer that became
 * stale meanwhile is dropped instead of stored.
 */
async function settle(
  deps: SettleDependencies,
  analysisId: string,
  write: (tx: Prisma.TransactionClient, analysis: LiveAnalysis) => Promise<void>,
): Promise<void> {
  await deps.db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM analyses WHERE id = ${analysisId}::uuid FOR UPDATE`;
    const analysis = await loadLiveAnalysis(tx, analysisId);
    if (analysis) await write(tx, analysis);
  });
}

function notificationData(analysis: LiveAnalysis) {
  return { episodeId: analysis.gem.episode.id, analysisId: analysis.id };
}

/** SUCCEEDED with the model's answer; the episode takes the keyword unless its user chose one; the user is told. */
export async function succeed(deps: SettleDependencies, analysisId: string, call: Extract<ModelCall, { outcome: "answered" }>) {
  await settle(deps, analysisId, async (tx, analysis) => {
    const { episode } = analysis.gem;
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
      where: { id: episode.id, keywordChosenByUser: false },
      data: { keyword: call.answer.keyword },
    });
    await deps.jobs.enqueue(tx, notifyUserJob, {
      userId: analysis.userId,
      type: "ANALYSIS_SUCCEEDED",
      category: "AI_RESULT",
      title: "보석 가공이 완료되었어요",
      body: `'${episode.title}' 경험의 역량 키워드와 자기소개서 추천 문장을 확인해 보세요.`,
      data: notificationData(analysis),
      dedupeKey: `analysis:${analysisId}:succeeded`,
    });
  });
  deps.logger.info({ analysisId, keyword: call.answer.keyword }, "analysis succeeded");
}

/** FAILED for good: the user is told, and the job is parked in the dead-letter queue. */
export async function fail(deps: SettleDependencies, analysisId: string, reason: string) {
  await settle(deps, analysisId, async (tx, analysis) => {
    await tx.analysis.update({
      where: { id: analysisId },
      data: { status: "FAILED", failureReason: reason, finishedAt: new Date() },
    });
    await deps.jobs.enqueue(tx, notifyUserJob, {
      userId: analysis.userId,
      type: "ANALYSIS_FAILED",
      category: "AI_RESULT",
      title: "보석 가공에 실패했어요",
      body: `'${analysis.gem.episode.title}' 경험을 분석하지 못했어요. 잠시 후 다시 시도해 주세요.`,
      data: notificationData(analysis),
      dedupeKey: `analysis:${analysisId}:failed`,
    });
    await deps.jobs.deadLetter(tx, analyzeGemJob, { analysisId }, reason);
  });
  deps.logger.error({ analysisId, reason }, "analysis failed");
}
