import { z } from "zod";
import { isoDateTime } from "../../schemas/common.ts";
import { afterCursor, keysetCursor, newestFirst, pageOf, toPage } from "../../schemas/keyset-page.ts";
import { adminProcedure } from "../../trpc.ts";
import { managedNotice, toManagedNotice } from "./notice.ts";

export const listAllNoticesInput = z
  .object({
    /** Only notices in this status, e.g. SCHEDULED ones to review or cancel. */
    status: managedNotice.shape.status.optional(),
    cursor: keysetCursor(isoDateTime).optional(),
    limit: z.number().int().min(1).max(50).default(20),
  })
  .prefault({});

/** Every notice in any status, newest written first, for admins to manage. */
export const listAll = adminProcedure
  .meta({
    openapi: { method: "GET", path: "/admin/notices", summary: "Every notice in any status (admins)", tags: ["Notices"], protect: true },
  })
  .input(listAllNoticesInput)
  .output(pageOf(managedNotice))
  .query(async ({ ctx, input }) => {
    const rows = await ctx.db.notice.findMany({
      where: { ...(input.status ? { status: input.status } : {}), ...afterCursor("createdAt", input.cursor) },
      orderBy: newestFirst("createdAt"),
      take: input.limit + 1,
    });
    return toPage(rows, input.limit, toManagedNotice, (item) => ({ key: item.createdAt, id: item.id }));
  });
