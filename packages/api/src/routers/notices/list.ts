import { z } from "zod";
import { isoDateTime } from "../../schemas/common.ts";
import { afterCursor, keysetCursor, newestFirst, pageOf, toPage } from "../../schemas/keyset-page.ts";
import { replicaReadProcedure } from "../../trpc.ts";
import { published, publishedNotice, publishedNoticeSelect, toPublishedNotice } from "./notice.ts";

export const listNoticesInput = z
  .object({
    cursor: keysetCursor(isoDateTime).optional(),
    limit: z.number().int().min(1).max(50).default(20),
  })
  // Every field is optional, so `list()` with no input at all lists the first page.
  .prefault({});

/**
 * Published notices, newest first, one page at a time. Every user sees the same notices,
 * read straight from the notices table: a broadcast writes nothing per user.
 */
export const list = replicaReadProcedure
  .meta({ openapi: { method: "GET", path: "/notices", summary: "Published notices, a page at a time", tags: ["Notices"], protect: true } })
  .input(listNoticesInput)
  .output(pageOf(publishedNotice))
  .query(async ({ ctx, input }) => {
    const rows = await ctx.db.notice.findMany({
      where: { ...published, ...afterCursor("sentAt", input.cursor) },
      orderBy: newestFirst("sentAt"),
      take: input.limit + 1,
      select: publishedNoticeSelect,
    });
    return toPage(rows, input.limit, toPublishedNotice, (item) => ({ key: item.sentAt, id: item.id }));
  });
