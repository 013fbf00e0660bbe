import { z } from "zod";
import { calendarDate } from "../../schemas/common.ts";
import { activityTagName, episodeContentsInput, episodeDetail, episodeTitle } from "../../schemas/episode.ts";
import { authedProcedure } from "../../trpc.ts";
import { contentRows, findEpisodeDetail, fromIsoDate, upsertActivityTag } from "./episode.ts";

export const createEpisodeInput = z.object({
  title: episodeTitle,
  date: calendarDate,
  /** A tag name; a name the caller has not used before becomes a new tag. */
  activityTag: activityTagName,
  contents: episodeContentsInput,
});

/** Records a draft episode with its contents, creating its activity tag on the fly. */
export const create = authedProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/episodes",
      summary: "Record an episode",
      tags: ["Episodes"],
      protect: true,
      example: {
        request: {
          title: "해커톤에서 팀장을 맡다",
          date: "2026-03-14",
          activityTag: "큐시즘 29기",
          contents: [{ type: "LESSONS_LEARNED", content: "역할을 일찍 나누니 마감 전날에도 여유가 있었다." }],
        },
      },
    },
  })
  .input(createEpisodeInput)
  .output(episodeDetail)
  .mutation(async ({ ctx, input }) => {
    const { userId } = ctx.user;
    // One transaction: an episode that fails to be written leaves no new tag behind.
    const episode = await ctx.db.$transaction(async (tx) => {
      const tag = await upsertActivityTag(tx, userId, input.activityTag);
      return tx.episode.create({
        data: {
          userId,
          activityTagId: tag.id,
          title: input.title,
          date: fromIsoDate(input.date),
          contents: { create: contentRows(input.contents) },
        },
        select: { id: true },
      });
    });
    return findEpisodeDetail(ctx.db, userId, episode.id);
  });
