import { z } from "zod";
import type { Prisma } from "@daycarat/db";
import { authedProcedure } from "../../trpc.ts";
import { encodeCursor, notificationCursor } from "./cursor.ts";
import { notification, notificationSelect, toNotification } from "./notification.ts";

export const listNotificationsInput = z
  .object({
    cursor: notificationCursor.optional(),
    /** Only notifications not read yet. */
    unreadOnly: z.boolean().default(false),
    limit: z.number().int().min(1).max(50).default(20),
  })
  // Every field is optional, so `list()` with no input at all lists the first page.
  .prefault({});

type ListNotificationsFilter = z.output<typeof listNotificationsInput>;

/** Strictly after the cursor in (createdAt desc, id desc) order. */
function afterCursor({ cursor }: ListNotificationsFilter): Prisma.NotificationWhereInput {
  if (cursor === undefined) return {};
  return { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] };
}

/** The caller's inbox, newest first, one page at a time. */
export const list = authedProcedure
  .input(listNotificationsInput)
  .output(z.object({ items: z.array(notification), nextCursor: z.string().nullable() }))
  .query(async ({ ctx, input }) => {
    const rows = await ctx.db.notification.findMany({
      where: {
        userId: ctx.user.userId,
        ...(input.unreadOnly ? { readAt: null } : {}),
        ...afterCursor(input),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      // One more than the page tells whether another page follows.
      take: input.limit + 1,
      select: notificationSelect,
    });
    const items = rows.slice(0, input.limit).map(toNotification);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null };
  });
