import { z } from "zod";
import { authedProcedure } from "../../trpc.ts";

/** Marks every unread notification of the caller read; already-read ones keep their time. */
export const markAllRead = authedProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/notifications/mark-all-read",
      summary: "Mark every notification read",
      tags: ["Notifications"],
      protect: true,
    },
  })
  .output(z.object({ updated: z.number().int().nonnegative() }))
  .mutation(async ({ ctx }) => {
    const { count } = await ctx.db.notification.updateMany({
      where: { userId: ctx.user.userId, readAt: null },
      data: { readAt: new Date() },
    });
    return { updated: count };
  });
