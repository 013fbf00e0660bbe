import { describe, expect, it } from "vitest";
import { firstCharacters } from "../src/index.ts";

const graphemes = new Intl.Segmenter("und", { granularity: "grapheme" });

/** The first characters as the segmenter alone counts them. */
const segmentedStart = (text: string, count: number) =>
  Array.from(graphemes.segment(text), ({ segment }) => segment)
    .slice(0, count)
    .join("");

// Plain characters, and characters that join the one before them (combining marks, ZWJ, Hangul
// jamo, a skin tone) or the one after (CR before LF), so the shortcut's edge is crossed often.
const PIECES = ["가", "a", " ", "\n", "\t", "\r", "\r\n", "\u0301", "\u200D", "\u1161", "\u11A8", "👍🏽", "👨‍👩‍👧‍👦", "🇰🇷", "क्ष", "é"];

describe("firstCharacters", () => {
  it("cuts where the grapheme segmenter would, for texts of plain and joining characters alike", () => {
    let state = 20_260_101;
    const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 3_000; round++) {
      const text = Array.from({ length: Math.floor(random() * 80) }, () => PIECES[Math.floor(random() * PIECES.length)]).join("");
      for (const count of [0, 1, 5, 50]) expect(firstCharacters(text, count)).toBe(segmentedStart(text, count));
    }
  });

  it("keeps a character whole when the one after the cut joins it", () => {
    expect(firstCharacters(`${"가".repeat(49)}e\u0301끝`, 50)).toBe(`${"가".repeat(49)}e\u0301`);
    expect(firstCharacters(`${"a".repeat(50)}\u0301`, 50)).toBe(`${"a".repeat(49)}a\u0301`);
    expect(firstCharacters(`${"한".repeat(3)}\r\n`, 4)).toBe("한한한\r\n");
  });
});
