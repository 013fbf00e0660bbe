import { z } from "zod";

/** Characters as Postgres counts them for VARCHAR(n): code points, so 😀 is one, not two. */
function codePointLength(text: string): number {
  return Array.from(text).length;
}

/** Text a user typed (in the API or a Slack form): trimmed, not blank, at most `max` characters. */
export function userText(max: number) {
  return z
    .string()
    .trim()
    .min(1, "must not be blank")
    .refine((text) => codePointLength(text) <= max, `must be at most ${max} characters`)
    // A refinement is opaque to JSON Schema: the document states the limit itself.
    .meta({ maxLength: max });
}
