import { z } from "zod";
import { replicaReadProcedure } from "../../trpc.ts";

/** How many of the caller's notifications are unread, for the inbox badge. */
export const unreadCount = replicaReadProcedure
  .meta({
    openapi: {
      method: "GET",
      path: "/notifications/unread-count",
      summary: "How many notifications are unread",
      tags: ["Notifications"],
      protect: true,
    },
  })
  .output(z.object({ count: z.number().int().nonnegative() }))
  .query(async ({ ctx }) => ({
    count: await ctx.db.notification.count({ where: { userId: ctx.user.userId, readAt: null } }),
  }));
