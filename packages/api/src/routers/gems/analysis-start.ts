import { TRPCError } from "@trpc/server";
import type { Prisma } from "@daycarat/db";
import { analyzeGemJob, type JobQueue } from "@daycarat/jobs";
import { analysisSelect, soaraFields, type SoaraField } from "../../schemas/gem.ts";

// Starting an analysis (gems.submit, gems.retryAnalysis) spends the user's AI quota, so
// every check and the start itself happen in one transaction under a lock on the user.

/** What starting an analysis needs to know about the gem. */
export const analysableGemSelect = {
  id: true,
  userId: true,
  version: true,
  situation: true,
  objective: true,
  action: true,
  result: true,
  aftermath: true,
} satisfies Prisma.GemSelect;

type AnalysableGem = Prisma.GemGetPayload<{ select: typeof analysableGemSelect }>;

/**
 * Serialises the user's analysis starts: two racing requests (a double tap on "submit")
 * would otherwise both pass the in-flight and quota checks. NO KEY UPDATE still lets
 * rows that merely reference the user be inserted meanwhile.
 */
export async function lockAnalysisStarts(tx: Prisma.TransactionClient, userId: string): Promise<void> {
  await tx.$executeRaw`SELECT 1 FROM users WHERE id = ${userId}::uuid FOR NO KEY UPDATE`;
}

/** BAD_REQUEST naming every unanswered question: the AI needs all five answers. */
export function assertAnswered<Gem extends Record<SoaraField, string | null>>(gem: Gem | null): asserts gem is Gem {
  const missing = soaraFields.filter((field) => !gem?.[field]?.trim());
  if (missing.length > 0) {
    throw new TRPCError({ code: "BAD_REQUEST", message: `Answer every question first; missing: ${missing.join(", ")}` });
  }
}

/**
 * TOO_MANY_REQUESTS once the user started `quota` analyses today, their day beginning at
 * midnight on their own wall clock. Counted from the analyses themselves, so every server
 * agrees without sharing anything but the database.
 */
export async function assertWithinDailyQuota(tx: Prisma.TransactionClient, userId: string, quota: number): Promise<void> {
  // An aggregate without GROUP BY always answers one row.
  const [{ started }] = await tx.$queryRaw<[{ started: number }]>`
    SELECT count(*)::int AS started
    FROM analyses a
    JOIN users u ON u.id = a."userId"
    WHERE a."userId" = ${userId}::uuid
      AND a."createdAt" >= date_trunc('day', now() AT TIME ZONE u."timeZone") AT TIME ZONE u."timeZone"`;
  if (started >= quota) {
    throw new TRPCError({
      code: "TOO_MANY_REQUESTS",
      message: `You can start ${quota} analyses a day; try again tomorrow`,
    });
  }
}

/**
 * A PENDING analysis of the gem's current version and the job that runs it, written
 * through the caller's transaction: the job exists if and only if the analysis does.
 */
export async function startAnalysis(
  tx: Prisma.TransactionClient,
  jobs: JobQueue,
  gem: AnalysableGem,
): Promise<Prisma.AnalysisGetPayload<{ select: typeof analysisSelect }>> {
  const analysis = await tx.analysis.create({
    data: { gemId: gem.id, userId: gem.userId, gemVersion: gem.version },
    select: analysisSelect,
  });
  // The user's group: the worker runs one analysis per user at a time.
  await jobs.enqueue(tx, analyzeGemJob, { analysisId: analysis.id }, { group: gem.userId });
  return analysis;
}
