import { z } from "zod";
import { calendarDate, id } from "../../schemas/common.ts";

// Episodes are listed by date, newest first, then by id. A cursor is the (date, id) of the
// last item a page showed, base64url-encoded so clients treat it as opaque; the next page is
// whatever sorts strictly after it, so rows inserted between requests never shift a page.

const SEPARATOR = " ";

const position = z.object({ date: calendarDate, id });

export function encodeCursor({ date, id: episodeId }: z.infer<typeof position>): string {
  return Buffer.from(`${date}${SEPARATOR}${episodeId}`).toString("base64url");
}

/** Input: a cursor a previous page returned, decoded to the position it stands for. */
export const episodeCursor = z
  .string()
  .max(100)
  .transform((cursor, ctx) => {
    const parts = Buffer.from(cursor, "base64url").toString("utf8").split(SEPARATOR);
    const parsed = parts.length === 2 ? position.safeParse({ date: parts[0], id: parts[1] }) : undefined;
    if (parsed?.success) return parsed.data;
    ctx.addIssue({ code: "custom", message: "must be a nextCursor this API returned" });
    return z.NEVER;
  });
