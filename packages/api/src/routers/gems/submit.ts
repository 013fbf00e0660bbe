import { z } from "zod";
import { submitGem } from "@daycarat/domain";
import { id } from "../../schemas/common.ts";
import { analysis, analysisSelect, toAnalysis } from "../../schemas/gem.ts";
import { authedProcedure } from "../../trpc.ts";

export const submitInput = z.object({ episodeId: id });

/**
 * Submits a complete gem: the episode is finalized and the AI analysis of the gem's
 * current version starts (a PENDING analysis and its job, committed together).
 */
export const submit = authedProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/episodes/{episodeId}/gem/submit",
      summary: "Submit a gem for analysis",
      tags: ["Gems"],
      protect: true,
      refusals: ["CONFLICT", "TOO_MANY_REQUESTS"],
    },
  })
  .input(submitInput)
  .output(analysis)
  .mutation(async ({ ctx, input }) => {
    const request = { userId: ctx.user.userId, episodeId: input.episodeId, dailyQuota: ctx.config.ai.dailyQuota };
    return toAnalysis(await submitGem(ctx, request, analysisSelect));
  });
