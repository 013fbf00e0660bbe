import { z } from "zod";
import { authedProcedure } from "../../trpc.ts";

/** How many of the caller's notifications are unread, for the inbox badge. */
export const unreadCount = authedProcedure
  .output(z.object({ count: z.number().int().nonnegative() }))
  .query(async ({ ctx }) => ({
    count: await ctx.db.notification.count({ where: { userId: ctx.user.userId, readAt: null } }),
  }));
