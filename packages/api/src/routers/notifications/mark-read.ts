import { z } from "zod";
import { id } from "../../schemas/common.ts";
import { authedProcedure } from "../../trpc.ts";

export const markReadInput = z.object({ ids: z.array(id).min(1).max(100) });

/**
 * Marks the given notifications read. Ids that are not the caller's, unknown or already read
 * are skipped rather than refused: a stale inbox on another device must not fail the call,
 * and already-read ones keep the time they were first read.
 */
export const markRead = authedProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/notifications/mark-read",
      summary: "Mark notifications read",
      tags: ["Notifications"],
      protect: true,
    },
  })
  .input(markReadInput)
  .output(z.object({ updated: z.number().int().nonnegative() }))
  .mutation(async ({ ctx, input }) => {
    const { count } = await ctx.db.notification.updateMany({
      where: { id: { in: input.ids }, userId: ctx.user.userId, readAt: null },
      data: { readAt: new Date() },
    });
    return { updated: count };
  });
