import { z } from "zod";
import { DomainError } from "@daycarat/domain";
import { id, keyword } from "../../schemas/common.ts";
import { episodeDetail } from "../../schemas/episode.ts";
import { episodeNotFound } from "../../errors.ts";
import { authedProcedure } from "../../trpc.ts";
import { findEpisodeDetail } from "./episode.ts";

export const setEpisodeKeywordInput = z.object({ id, keyword });

/** The user picks a finalized episode's keyword; the AI never overwrites a keyword chosen so. */
export const setKeyword = authedProcedure
  .meta({
    openapi: {
      method: "PUT",
      path: "/episodes/{id}/keyword",
      summary: "Choose a finalized episode's keyword",
      tags: ["Episodes"],
      protect: true,
      refusals: ["CONFLICT"],
    },
  })
  .input(setEpisodeKeywordInput)
  .output(episodeDetail)
  .mutation(async ({ ctx, input }) => {
    const episode = { id: input.id, userId: ctx.user.userId };
    // The state is checked in the same statement, so a gem deleted meanwhile (back to draft) wins cleanly.
    const { count } = await ctx.db.episode.updateMany({
      where: { ...episode, state: "FINALIZED" },
      data: { keyword: input.keyword, keywordChosenByUser: true },
    });
    if (count === 0) {
      const exists = (await ctx.db.episode.count({ where: episode })) > 0;
      throw exists ? new DomainError("CONFLICT", "Only a finalized episode has a keyword: submit its gem first") : episodeNotFound();
    }
    return findEpisodeDetail(ctx.db, ctx.user.userId, input.id);
  });
