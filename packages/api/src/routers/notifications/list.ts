import { z } from "zod";
import { isoDateTime } from "../../schemas/common.ts";
import { afterCursor, keysetCursor, newestFirst, pageOf, toPage } from "../../schemas/keyset-page.ts";
import { replicaReadProcedure } from "../../trpc.ts";
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

/** The caller's inbox, newest first, one page at a time. */
export const list = replicaReadProcedure
  .meta({
    openapi: { method: "GET", path: "/notifications", summary: "Your inbox, a page at a time", tags: ["Notifications"], protect: true },
  })
  .input(listNotificationsInput)
  .output(pageOf(notification))
  .query(async ({ ctx, input }) => {
    const rows = await ctx.db.notification.findMany({
      where: {
        userId: ctx.user.userId,
        ...(input.unreadOnly ? { readAt: null } : {}),
        ...afterCursor("createdAt", input.cursor),
      },
      orderBy: newestFirst("createdAt"),
      take: input.limit + 1,
      select: notificationSelect,
    });
    return toPage(rows, input.limit, toNotification, (item) => ({ key: item.createdAt, id: item.id }));
  });
