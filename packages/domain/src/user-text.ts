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

/**
 * Code points the database keeps per character a user sees. A character (grapheme cluster)
 * may be several code points (👨‍👩‍👧‍👦 is 7, with skin tones 11); the ceiling keeps one "character"
 * of endless combining marks from filling a column. The VARCHAR columns of user text in
 * prisma/schema.prisma are `max × STORED_CODE_POINTS_PER_CHARACTER` long.
 */
const STORED_CODE_POINTS_PER_CHARACTER = 16;

const graphemes = new Intl.Segmenter("und", { granularity: "grapheme" });

/** Characters as a person counts them: grapheme clusters, so 👨‍👩‍👧‍👦 and 한 are one each. */
function characterCount(text: string): number {
  return Array.from(graphemes.segment(text)).length;
}

/**
 * Code points that are a character each, whatever stands beside them: tab, line feed, printable
 * ASCII and precomposed Hangul syllables (no grapheme rule joins two of these; CR is left out,
 * as CR LF is one character). Text made only of them needs no segmenting.
 */
const ONE_CHARACTER_EACH = /^[\t\n\x20-\x7E\uAC00-\uD7A3]*$/;

/** The first `count` characters of a text, as a person counts them: no emoji is cut in half. */
export function firstCharacters(text: string, count: number): string {
  // Segmenting 50 characters costs about 10 µs (20 snippets on a list page), and most snippets are
  // plain Korean and ASCII. The character after the cut is checked too: it must not join the last.
  if (ONE_CHARACTER_EACH.test(text.slice(0, count + 1))) return text.slice(0, count);
  let start = "";
  let taken = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (taken === count) break;
    start += segment;
    taken += 1;
  }
  return start;
}

/** Code points, as Postgres counts them for VARCHAR(n). */
function codePointCount(text: string): number {
  return Array.from(text).length;
}

/** Refuses text Postgres could not store as sent (see `unstorableTextReason`). */
function storableText() {
  return z.string().superRefine((text, ctx) => {
    const reason = unstorableTextReason(text);
    if (reason) ctx.addIssue({ code: "custom", message: reason });
  });
}

/**
 * Text a user typed (in the API or a Slack form): storable, trimmed, not blank, at most `max`
 * characters as a person counts them, and within the storage ceiling.
 */
export function userText(max: number) {
  const storedMax = max * STORED_CODE_POINTS_PER_CHARACTER;
  return (
    storableText()
      .trim()
      .min(1, "must not be blank")
      .superRefine((text, ctx) => {
        const codePoints = codePointCount(text);
        // A character is at least one code point: most texts need no segmenting.
        if (codePoints <= max) return;
        if (characterCount(text) > max) ctx.addIssue({ code: "custom", message: `must be at most ${max} characters` });
        else if (codePoints > storedMax) ctx.addIssue({ code: "custom", message: `must be at most ${storedMax} code points to store` });
      })
      // A refinement is opaque to JSON Schema: the document states the limit itself.
      .meta({ maxLength: max })
  );
}
