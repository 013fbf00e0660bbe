import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { Prisma } from "@daycarat/db";
import { id } from "../../schemas/common.ts";
import { analysis, newestAnalysisFirst, toAnalysis } from "../../schemas/gem.ts";
import { authedProcedure } from "../../trpc.ts";
import {
  analysableGemSelect,
  assertAnswered,
  assertWithinDailyQuota,
  lockAnalysisStarts,
  startAnalysis,
} from "./analysis-start.ts";
import { findEpisodeGem } from "./episode-gem.ts";

export const submitInput = z.object({ episodeId: id });

/** CONFLICT while this very version is still being analysed: a second run would only spend quota. */
async function assertNotBeingAnalysed(tx: Prisma.TransactionClient, gem: { id: string; version: number }): Promise<void> {
  const newest = await tx.analysis.findFirst({
    where: { gemId: gem.id, gemVersion: gem.version },
    orderBy: newestAnalysisFirst,
    select: { status: true },
  });
  if (newest?.status === "PENDING" || newest?.status === "RUNNING") {
    throw new TRPCError({ code: "CONFLICT", message: "This gem is already being analysed" });
  }
}

/** The gem is collected and its episode finalized. */
async function markSubmitted(tx: Prisma.TransactionClient, gemId: string, episodeId: string): Promise<void> {
  // The first submission is when the gem was collected; submitting it again after an edit keeps that date.
  await tx.gem.updateMany({ where: { id: gemId, submittedAt: null }, data: { submittedAt: new Date() } });
  await tx.episode.update({ where: { id: episodeId }, data: { state: "FINALIZED" } });
}

/**
 * Submits a complete gem: the episode is finalized and the AI analysis of the gem's
 * current version starts (a PENDING analysis and its job, committed together).
 */
export const submit = authedProcedure
  .meta({ openapi: { method: "POST", path: "/episodes/{episodeId}/gem/submit", summary: "Submit a gem for analysis", tags: ["Gems"], protect: true, refusals: ["CONFLICT", "TOO_MANY_REQUESTS"] } })
  .input(submitInput)
  .output(analysis)
  .mutation(({ ctx, input }) =>
    ctx.db.$transaction(async (tx) => {
      const { userId } = ctx.user;
      await lockAnalysisStarts(tx, userId);
      const gem = await findEpisodeGem(tx, userId, input.episodeId, analysableGemSelect);
      assertAnswered(gem);
      await assertNotBeingAnalysed(tx, gem);
      await assertWithinDailyQuota(tx, userId, ctx.config.ai.dailyQuota);
      await markSubmitted(tx, gem.id, input.episodeId);
      return toAnalysis(await startAnalysis(tx, ctx.jobs, gem));
    }),
  );
