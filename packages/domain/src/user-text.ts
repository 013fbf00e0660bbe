import { z } from "zod";

/**
 * Why Postgres could not keep this text as it was sent, if it could not: it refuses NUL in
 * text, and it would store a lone UTF-16 surrogate (malformed text) as U+FFFD.
 */
export function unstorableTextReason(text: string): string | undefined {
  if (text.includes("\u0000")) return "must not contain the NUL character (U+0000)";
  if (!text.isWellFormed()) return "must not contain a lone surrogate (malformed Unicode)";
  return undefined;
}

/** Characters as Postgres counts them for VARCHAR(n): code points, so 😀 is one, not two. */
function codePointLength(text: string): number {
  return Array.from(text).length;
}

/** Refuses text Postgres could not store as sent (see `unstorableTextReason`). */
function storableText() {
  return z.string().superRefine((text, ctx) => {
    const reason = unstorableTextReason(text);
    if (reason) ctx.addIssue({ code: "custom", message: reason });
  });
}

/** Text a user typed (in the API or a Slack form): storable, trimmed, not blank, at most `max` characters. */
export function userText(max: number) {
  return storableText()
    .trim()
    .min(1, "must not be blank")
    .refine((text) => codePointLength(text) <= max, `must be at most ${max} characters`)
    // A refinement is opaque to JSON Schema: the document states the limit itself.
    .meta({ maxLength: max });
}
