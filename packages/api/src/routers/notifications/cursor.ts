import { z } from "zod";
import { id, isoDateTime } from "../../schemas/common.ts";

// Notifications are listed newest first by (createdAt, id). A cursor is the (createdAt, id) of
// the last item a page showed, base64url-encoded so clients treat it as opaque; the next page is
// whatever sorts strictly after it, so notifications arriving between requests never shift a page.

const SEPARATOR = " ";

const position = z.object({ createdAt: isoDateTime, id });

export function encodeCursor({ createdAt, id: notificationId }: z.infer<typeof position>): string {
  return Buffer.from(`${createdAt}${SEPARATOR}${notificationId}`).toString("base64url");
}

/** Input: a cursor a previous page returned, decoded to the position it stands for. */
export const notificationCursor = z
  .string()
  .max(100)
  .transform((cursor, ctx) => {
    const parts = Buffer.from(cursor, "base64url").toString("utf8").split(SEPARATOR);
    const parsed = parts.length === 2 ? position.safeParse({ createdAt: parts[0], id: parts[1] }) : undefined;
    if (parsed?.success) return { createdAt: new Date(parsed.data.createdAt), id: parsed.data.id };
    ctx.addIssue({ code: "custom", message: "must be a nextCursor this API returned" });
    return z.NEVER;
  });
