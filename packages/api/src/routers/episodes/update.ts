import { z } from "zod";
import { calendarDate, id } from "../../schemas/common.ts";
import { activityTagName, episodeContentsInput, episodeDetail, episodeTitle } from "../../schemas/episode.ts";
import { episodeNotFound } from "../../errors.ts";
import { authedProcedure } from "../../trpc.ts";
import { contentRows, findEpisodeDetail, fromIsoDate, upsertActivityTag } from "./episode.ts";

export const updateEpisodeInput = z
  .object({
    id,
    title: episodeTitle.optional(),
    date: calendarDate.optional(),
    activityTag: activityTagName.optional(),
    /** Replaces all of the episode's contents. */
    contents: episodeContentsInput.optional(),
  })
  .refine(({ id: _id, ...changes }) => Object.keys(changes).length > 0, "name at least one field to change");

/** Changes the fields given; contents, when given, replace the old ones. */
export const update = authedProcedure
  .meta({ openapi: { method: "PATCH", path: "/episodes/{id}", summary: "Change an episode", tags: ["Episodes"], protect: true } })
  .input(updateEpisodeInput)
  .output(episodeDetail)
  .mutation(async ({ ctx, input }) => {
    const { userId } = ctx.user;
    const { id: episodeId, title, date, activityTag, contents } = input;
    // One transaction: NOT_FOUND also undoes a tag created for the change.
    await ctx.db.$transaction(async (tx) => {
      const tag = activityTag === undefined ? undefined : await upsertActivityTag(tx, userId, activityTag);
      // Writing the episode row first locks it, so concurrent replacements of its contents take turns.
      const { count } = await tx.episode.updateMany({
        where: { id: episodeId, userId },
        data: {
          title,
          date: date === undefined ? undefined : fromIsoDate(date),
          activityTagId: tag?.id,
          // Set explicitly: a change of the contents alone is a change of the episode too.
          updatedAt: new Date(),
        },
      });
      if (count === 0) throw episodeNotFound();
      if (contents) {
        await tx.episodeContent.deleteMany({ where: { episodeId } });
        await tx.episodeContent.createMany({ data: contentRows(contents).map((row) => ({ ...row, episodeId })) });
      }
    });
    return findEpisodeDetail(ctx.db, userId, episodeId);
  });
