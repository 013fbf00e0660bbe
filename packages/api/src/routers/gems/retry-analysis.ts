import { z } from "zod";
import { retryAnalysis as retryAnalysisInDomain } from "@daycarat/domain";
import { id } from "../../schemas/common.ts";
import { analysis, analysisSelect, toAnalysis } from "../../schemas/gem.ts";
import { authedProcedure } from "../../trpc.ts";

export const retryAnalysisInput = z.object({ episodeId: id });

/** Starts the analysis again after the last one FAILED, for the gem as it is now. */
export const retryAnalysis = authedProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/episodes/{episodeId}/gem/analysis/retry",
      summary: "Retry a failed analysis",
      tags: ["Gems"],
      protect: true,
      refusals: ["CONFLICT", "TOO_MANY_REQUESTS"],
    },
  })
  .input(retryAnalysisInput)
  .output(analysis)
  .mutation(async ({ ctx, input }) => {
    const request = { userId: ctx.user.userId, episodeId: input.episodeId, dailyQuota: ctx.config.ai.dailyQuota };
    return toAnalysis(await retryAnalysisInDomain(ctx, request, analysisSelect));
  });
