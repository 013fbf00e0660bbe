import { z } from "zod";
import type { Prisma } from "@daycarat/db";
import { isoDateTime } from "../../schemas/common.ts";
import { keysetCursor, pageOf, toPage } from "../../schemas/keyset-page.ts";
import { authedProcedure } from "../../trpc.ts";
import { notification, notificationSelect, toNotification } from "./notification.ts";

export const listNotificationsInput = z
  .object({
    cursor: keysetCursor(isoDateTime).optional(),
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
  const createdAt = new Date(cursor.key);
  return { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: cursor.id } }] };
}

/** The caller's inbox, newest first, one page at a time. */
export const list = authedProcedure
  .meta({ openapi: { method: "GET", path: "/notifications", summary: "Your inbox, a page at a time", tags: ["Notifications"], protect: true } })
  .input(listNotificationsInput)
  .output(pageOf(notification))
  .query(async ({ ctx, input }) => {
    const rows = await ctx.db.notification.findMany({
      where: {
        userId: ctx.user.userId,
        ...(input.unreadOnly ? { readAt: null } : {}),
        ...afterCursor(input),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: input.limit + 1,
      select: notificationSelect,
    });
    return toPage(rows, input.limit, toNotification, (item) => ({ key: item.createdAt, id: item.id }));
  });
