import { z } from "zod";
import { findEpisodeGem } from "@daycarat/domain";
import { id } from "../../schemas/common.ts";
import { analysis, latestAnalysis, toAnalysis } from "../../schemas/gem.ts";
import { authedProcedure } from "../../trpc.ts";

export const getAnalysisInput = z.object({ episodeId: id });

/** The gem's newest analysis (status, and keyword and sentences once SUCCEEDED), or null before any. */
export const getAnalysis = authedProcedure
  .meta({
    openapi: {
      method: "GET",
      path: "/episodes/{episodeId}/gem/analysis",
      summary: "A gem's newest analysis",
      tags: ["Gems"],
      protect: true,
    },
  })
  .input(getAnalysisInput)
  .output(analysis.nullable())
  .query(async ({ ctx, input }) => {
    const gem = await findEpisodeGem(ctx.db, ctx.user.userId, input.episodeId, { analyses: latestAnalysis });
    const newest = gem?.analyses[0];
    return newest ? toAnalysis(newest) : null;
  });
