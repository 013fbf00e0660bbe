import type { AnalysisStatus, DatabaseClient, Prisma } from "@daycarat/db";
import { analyzeGemJob, type JobQueue } from "@daycarat/jobs";
import { DomainError } from "../errors.ts";
import { UNSETTLED_STATUSES } from "./settle.ts";
import { findEpisodeGem, newestAnalysisFirst, soaraAnswersSelect, soaraFields, type SoaraAnswers } from "./gem.ts";

// Starting an analysis (submitting a gem, retrying its failed analysis) spends the user's AI
// quota, so every check and the start itself happen in one transaction under a lock on the user.

export interface AnalysisStartDependencies {
  db: DatabaseClient;
  jobs: JobQueue;
}

export interface AnalysisStartRequest {
  userId: string;
  episodeId: string;
  /** Analyses the user may start in a day of their own time zone. */
  dailyQuota: number;
}

type Transaction = Prisma.TransactionClient;

/** What the caller wants back of the analysis it started; its id always. */
type AnalysisSelect = Prisma.AnalysisSelect & { id: true };

/** What starting an analysis needs to know about the gem. */
const analysableGemSelect = { id: true, userId: true, version: true, ...soaraAnswersSelect } satisfies Prisma.GemSelect;

type AnalysableGem = Prisma.GemGetPayload<{ select: typeof analysableGemSelect }>;

/**
 * Serialises the user's analysis starts: two racing requests (a double tap on "submit")
 * would otherwise both pass the in-flight and quota checks. NO KEY UPDATE still lets
 * rows that merely reference the user be inserted meanwhile.
 */
async function lockAnalysisStarts(tx: Transaction, userId: string): Promise<void> {
  await tx.$executeRaw`SELECT 1 FROM users WHERE id = ${userId}::uuid FOR NO KEY UPDATE`;
}

const findGem = (tx: Transaction, { userId, episodeId }: AnalysisStartRequest) =>
  findEpisodeGem(tx, userId, episodeId, analysableGemSelect);

/** BAD_REQUEST naming every unanswered question: the AI needs all five answers. */
function assertAnswered<Gem extends SoaraAnswers>(gem: Gem | null): asserts gem is Gem {
  const missing = soaraFields.filter((field) => !gem?.[field]?.trim());
  if (missing.length > 0) throw new DomainError("BAD_REQUEST", `Answer every question first; missing: ${missing.join(", ")}`);
}

/**
 * TOO_MANY_REQUESTS once the user started `quota` analyses today, their day beginning at
 * midnight on their own wall clock. Counted from the analyses themselves, so every server
 * agrees without sharing anything but the database.
 */
async function assertWithinDailyQuota(tx: Transaction, userId: string, quota: number): Promise<void> {
  // An aggregate without GROUP BY always answers one row.
  const [{ started }] = await tx.$queryRaw<[{ started: number }]>`
    SELECT count(*)::int AS started
    FROM analyses a
    JOIN users u ON u.id = a."userId"
    WHERE a."userId" = ${userId}::uuid
      AND a."createdAt" >= date_trunc('day', now() AT TIME ZONE u."timeZone") AT TIME ZONE u."timeZone"`;
  if (started >= quota) throw new DomainError("TOO_MANY_REQUESTS", `You can start ${quota} analyses a day; try again tomorrow`);
}

/** The status of the newest analysis that matches, if any. */
async function newestStatus(tx: Transaction, where: Prisma.AnalysisWhereInput): Promise<AnalysisStatus | undefined> {
  const newest = await tx.analysis.findFirst({ where, orderBy: newestAnalysisFirst, select: { status: true } });
  return newest?.status;
}

/** CONFLICT while this very version is still being analysed: a second run would only spend quota. */
async function assertNotBeingAnalysed(tx: Transaction, gem: AnalysableGem): Promise<void> {
  const status = await newestStatus(tx, { gemId: gem.id, gemVersion: gem.version });
  if (status && UNSETTLED_STATUSES.includes(status)) throw new DomainError("CONFLICT", "This gem is already being analysed");
}

const nothingToRetry = () => new DomainError("CONFLICT", "Nothing to retry: submit the gem first");

/** CONFLICT unless the gem's newest analysis FAILED: a pending one is still coming, a succeeded one is done. */
async function assertNewestFailed(tx: Transaction, gemId: string): Promise<void> {
  const status = await newestStatus(tx, { gemId });
  if (!status) throw nothingToRetry();
  if (status !== "FAILED") throw new DomainError("CONFLICT", `Only a failed analysis can be retried; the latest is ${status}`);
}

/** The gem is collected and its episode finalized. */
async function markSubmitted(tx: Transaction, gemId: string, episodeId: string): Promise<void> {
  // The first submission is when the gem was collected; submitting it again after an edit keeps that date.
  await tx.gem.updateMany({ where: { id: gemId, submittedAt: null }, data: { submittedAt: new Date() } });
  await tx.episode.update({ where: { id: episodeId }, data: { state: "FINALIZED" } });
}

/**
 * A PENDING analysis of the gem's current version and the job that runs it, written
 * through the caller's transaction: the job exists if and only if the analysis does.
 */
async function startAnalysis<Select extends AnalysisSelect>(
  tx: Transaction,
  jobs: JobQueue,
  gem: AnalysableGem,
  select: Select,
): Promise<Prisma.AnalysisGetPayload<{ select: Select }>> {
  const analysis = await tx.analysis.create({ data: { gemId: gem.id, userId: gem.userId, gemVersion: gem.version }, select });
  // Prisma cannot see through a generic select that `id` is in it.
  const { id: analysisId } = analysis as { id: string };
  // The user's group: the worker runs one analysis per user at a time.
  await jobs.enqueue(tx, analyzeGemJob, { analysisId }, { group: gem.userId });
  return analysis;
}

/** Starts an analysis of the request's gem; returns the analysis with the caller's `select`. */
type StartAnalysis = <Select extends AnalysisSelect>(
  deps: AnalysisStartDependencies,
  request: AnalysisStartRequest,
  select: Select,
) => Promise<Prisma.AnalysisGetPayload<{ select: Select }>>;

/**
 * Starts an analysis in one transaction under the user's lock: `admit` checks (and prepares)
 * the gem, then the daily quota is checked and the analysis with its job is written. A
 * refusal rolls everything back.
 */
function startAdmitted<Select extends AnalysisSelect>(
  deps: AnalysisStartDependencies,
  request: AnalysisStartRequest,
  select: Select,
  admit: (tx: Transaction, gem: AnalysableGem | null) => Promise<AnalysableGem>,
): Promise<Prisma.AnalysisGetPayload<{ select: Select }>> {
  return deps.db.$transaction(async (tx) => {
    await lockAnalysisStarts(tx, request.userId);
    const gem = await admit(tx, await findGem(tx, request));
    await assertWithinDailyQuota(tx, request.userId, request.dailyQuota);
    return startAnalysis(tx, deps.jobs, gem, select);
  });
}

/**
 * Submits a complete gem: the episode is finalized and the AI analysis of the gem's current
 * version starts (a PENDING analysis and its job, committed together). Returns the analysis.
 */
export const submitGem: StartAnalysis = (deps, request, select) =>
  startAdmitted(deps, request, select, async (tx, gem) => {
    assertAnswered(gem);
    await assertNotBeingAnalysed(tx, gem);
    await markSubmitted(tx, gem.id, request.episodeId);
    return gem;
  });

/** Starts the analysis again after the last one FAILED, for the gem as it is now. Returns the analysis. */
export const retryAnalysis: StartAnalysis = (deps, request, select) =>
  startAdmitted(deps, request, select, async (tx, gem) => {
    if (!gem) throw nothingToRetry();
    await assertNewestFailed(tx, gem.id);
    // The answers may have been edited since the failed run.
    assertAnswered(gem);
    return gem;
  });
