import { z } from "zod";
import { id } from "./common.ts";

// Lists page by keyset: newest first by (sort key, id). A cursor is the (key, id) of the last
// item a page showed, base64url-encoded so clients treat it as opaque; the next page is
// whatever sorts strictly after it, so rows inserted between requests never shift a page.

const SEPARATOR = " ";

export interface CursorPosition {
  /** The sort key as text (a calendar date, an instant). */
  key: string;
  id: string;
}

function encodeCursor({ key, id: rowId }: CursorPosition): string {
  return Buffer.from(`${key}${SEPARATOR}${rowId}`).toString("base64url");
}

/** Input: a cursor a previous page returned, decoded to its position; `key` checks the sort key. */
export function keysetCursor(key: z.ZodType<string>) {
  const position = z.object({ key, id });
  return z
    .string()
    .max(100)
    .transform((cursor, ctx): CursorPosition => {
      const parts = Buffer.from(cursor, "base64url").toString("utf8").split(SEPARATOR);
      const parsed = parts.length === 2 ? position.safeParse({ key: parts[0], id: parts[1] }) : undefined;
      if (parsed?.success) return parsed.data;
      ctx.addIssue({ code: "custom", message: "must be a nextCursor this API returned" });
      return z.NEVER;
    });
}

interface AfterCursor<Field extends string> {
  OR: (Record<Field, { lt: Date }> | (Record<Field, Date> & { id: { lt: string } }))[];
}

/**
 * A `where` for the rows strictly after the cursor in (field desc, id desc) order, where
 * `field` is the sort key (a date or an instant); everything without a cursor.
 */
export function afterCursor<Field extends string>(field: Field, cursor: CursorPosition | undefined): Partial<AfterCursor<Field>> {
  if (cursor === undefined) return {};
  const at = new Date(cursor.key);
  return { OR: [{ [field]: { lt: at } }, { [field]: at, id: { lt: cursor.id } }] } as AfterCursor<Field>;
}

/** The order keyset pages follow: newest first by the sort key, then by id. */
export const newestFirst = <Field extends string>(field: Field) => [{ [field]: "desc" } as Record<Field, "desc">, { id: "desc" as const }];

/** Output: one page of items and the cursor of the next page, if there is one. */
export function pageOf<Item extends z.ZodType>(item: Item) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/**
 * The page from rows fetched with `take: limit + 1`: the extra row only tells whether
 * another page follows.
 */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  positionOf: (item: Item) => CursorPosition,
): { items: Item[]; nextCursor: string | null } {
  const items = rows.slice(0, limit).map(toItem);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
}
