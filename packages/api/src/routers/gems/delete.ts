import { z } from "zod";
import { id } from "../../schemas/common.ts";
import { gemNotFound } from "../../errors.ts";
import { authedProcedure } from "../../trpc.ts";

export const deleteGemInput = z.object({ episodeId: id });

/**
 * Deletes the gem and puts the episode back to a draft with no keyword, as if it had never
 * been refined. Its analyses are detached, not deleted: they still count against today's quota.
 */
export const deleteGem = authedProcedure
  .meta({ openapi: { method: "DELETE", path: "/episodes/{episodeId}/gem", summary: "Delete a gem", tags: ["Gems"], protect: true } })
  .input(deleteGemInput)
  .output(z.object({ deleted: z.literal(true) }))
  .mutation(({ ctx, input }) =>
    ctx.db.$transaction(async (tx) => {
      // Filtering by user makes another user's gem as absent as a missing one.
      const { count } = await tx.gem.deleteMany({ where: { episodeId: input.episodeId, userId: ctx.user.userId } });
      if (count === 0) throw gemNotFound();
      await tx.episode.update({
        where: { id: input.episodeId },
        data: { state: "DRAFT", keyword: "UNSET", keywordChosenByUser: false },
      });
      return { deleted: true as const };
    }),
  );
