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

export const retryAnalysisInput = z.object({ episodeId: id });

const nothingToRetry = () => new TRPCError({ code: "CONFLICT", message: "Nothing to retry: submit the gem first" });

/** CONFLICT unless the gem's newest analysis FAILED: a pending one is still coming, a succeeded one is done. */
async function assertNewestFailed(tx: Prisma.TransactionClient, gemId: string): Promise<void> {
  const newest = await tx.analysis.findFirst({ where: { gemId }, orderBy: newestAnalysisFirst, select: { status: true } });
  if (!newest) throw nothingToRetry();
  if (newest.status !== "FAILED") {
    throw new TRPCError({ code: "CONFLICT", message: `Only a failed analysis can be retried; the latest is ${newest.status}` });
  }
}

/** Starts the analysis again after the last one FAILED, for the gem as it is now. */
export const retryAnalysis = authedProcedure
  .meta({ openapi: { method: "POST", path: "/episodes/{episodeId}/gem/analysis/retry", summary: "Retry a failed analysis", tags: ["Gems"], protect: true, refusals: ["CONFLICT", "TOO_MANY_REQUESTS"] } })
  .input(retryAnalysisInput)
  .output(analysis)
  .mutation(({ ctx, input }) =>
    ctx.db.$transaction(async (tx) => {
      const { userId } = ctx.user;
      await lockAnalysisStarts(tx, userId);
      const gem = await findEpisodeGem(tx, userId, input.episodeId, analysableGemSelect);
      if (!gem) throw nothingToRetry();
      await assertNewestFailed(tx, gem.id);
      // The answers may have been edited since the failed run.
      assertAnswered(gem);
      await assertWithinDailyQuota(tx, userId, ctx.config.ai.dailyQuota);
      return toAnalysis(await startAnalysis(tx, ctx.jobs, gem));
    }),
  );
