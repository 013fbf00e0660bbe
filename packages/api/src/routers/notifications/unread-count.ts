import { z } from "zod";
import { Prisma, readRows } from "@daycarat/db";
import { replicaReadProcedure } from "../../trpc.ts";

/**
 * How many of the caller's notifications are unread, for the inbox badge: apps ask at every
 * screen, so it is read on the pool directly (readRows), from the (userId, readAt) index.
 */
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
  .query(async ({ ctx }) => {
    const [unread] = await readRows<{ count: number }>(
      ctx.db,
      Prisma.sql`SELECT count(*)::int AS count FROM notifications WHERE "userId" = ${ctx.user.userId}::uuid AND "readAt" IS NULL`,
    );
    return { count: unread?.count ?? 0 };
  });
