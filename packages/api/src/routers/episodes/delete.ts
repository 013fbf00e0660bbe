import { z } from "zod";
import { id } from "../../schemas/common.ts";
import { episodeNotFound } from "../../errors.ts";
import { authedProcedure } from "../../trpc.ts";

export const deleteEpisodeInput = z.object({ id });

/** Deletes one of the caller's episodes with its contents, gem and analyses. */
export const deleteEpisode = authedProcedure
  .meta({ openapi: { method: "DELETE", path: "/episodes/{id}", summary: "Delete an episode", tags: ["Episodes"], protect: true } })
  .input(deleteEpisodeInput)
  .output(z.object({ deleted: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    const { count } = await ctx.db.episode.deleteMany({ where: { id: input.id, userId: ctx.user.userId } });
    if (count === 0) throw episodeNotFound();
    return { deleted: true as const };
  });
