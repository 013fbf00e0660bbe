import { disassemble, getChoseong } from "es-hangul";
import type { Prisma } from "./generated/prisma/client.ts";

/**
 * Text made literal for LIKE, so that a user's "%" or "_" matches only itself (Prisma's own
 * `contains` does not escape them either: prisma/prisma#19506). Backslash is Postgres' default
 * LIKE escape.
 */
function literalLikeText(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}

/** The ILIKE pattern of a case-insensitive substring match of the user's text (the trigram indexes serve it). */
export function containsTextPattern(text: string): string {
  return `%${literalLikeText(text)}%`;
}

// Activity tags are searched by substring, by initial consonants (초성: "ㅋㅅㅈ" finds
// "큐시즘") and by partial syllables ("큣" finds "큐시즘"). Both sides are put into the
// same jamo form so that one LIKE on a trigram-indexed column answers each kind of query.

const CONSONANTS_ONLY = /^[ㄱ-ㅎ\s]+$/;

/** The derived columns stored with every activity tag name. */
export function activityTagSearchColumns(name: string): { searchJamo: string; searchInitials: string } {
  return {
    searchJamo: disassemble(name.toLowerCase()),
    searchInitials: getChoseong(name).replace(/\s/g, ""),
  };
}

/** The filter that finds a user's query among activity tags. */
export function activityTagSearchFilter(query: string): Prisma.ActivityTagWhereInput {
  const trimmed = query.trim();
  if (CONSONANTS_ONLY.test(trimmed)) {
    return { searchInitials: { contains: literalLikeText(trimmed.replace(/\s/g, "")) } };
  }
  return { searchJamo: { contains: literalLikeText(disassemble(trimmed.toLowerCase())) } };
}
