import { z } from "zod";
import { Keyword } from "@daycarat/db";
import { unstorableTextReason } from "@daycarat/domain";

/** A row id (UUID v7, created by the database). */
export const id = z.uuid();

/** Instants travel as ISO-8601 strings: JSON has no date type. */
export const isoDateTime = z.iso.datetime();

/** Calendar dates (an episode's day) travel as YYYY-MM-DD. */
/** An ISO date Postgres can store too: ISO's year 0 (1 BC) is no Postgres date. */
export const calendarDate = z.iso.date().refine((date) => !date.startsWith("0000-"), "must be a date from the year 1 on");

export const toIsoDate = (date: Date): string => date.toISOString().slice(0, 10);

export { userText, competencyKeyword as keyword } from "@daycarat/domain";

/** Every string of an input, keys included, with its path; iterative, so no nesting overflows the stack. */
function* stringsOf(input: unknown): Generator<{ path: PropertyKey[]; text: string }> {
  const pending: { path: PropertyKey[]; value: unknown }[] = [{ path: [], value: input }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { path, value } = next;
    if (typeof value === "string") yield { path, text: value };
    else if (Array.isArray(value)) value.forEach((item, index) => pending.push({ path: [...path, index], value: item }));
    else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        yield { path: [...path, key], text: key };
        pending.push({ path: [...path, key], value: item });
      }
    }
  }
}

/**
 * Any input whose strings Postgres can store as sent: ids, cursors, tokens and emails as much
 * as user text. Checked once for every procedure (packages/api/src/trpc.ts), before its own schema.
 */
export const storableInput = z.unknown().superRefine((input, ctx) => {
  for (const { path, text } of stringsOf(input)) {
    const reason = unstorableTextReason(text);
    if (reason) ctx.addIssue({ code: "custom", path, message: reason });
  }
});

/** An episode's keyword: one of the six, or UNSET. */
export const episodeKeyword = z.enum(Keyword);
