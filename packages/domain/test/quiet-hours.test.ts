import { describe, expect, it } from "vitest";
import { endOfQuietHours } from "../src/worker.ts";

const NIGHT = { enabled: true, start: 22 * 60, end: 8 * 60 };

describe("endOfQuietHours", () => {
  it("is undefined outside quiet hours", () => {
    // 12:00 in Seoul.
    expect(endOfQuietHours(NIGHT, "Asia/Seoul", new Date("2026-11-25T03:00:00Z"))).toBeUndefined();
    // 21:59:59 in Seoul, a second before they start.
    expect(endOfQuietHours(NIGHT, "Asia/Seoul", new Date("2026-11-25T12:59:59Z"))).toBeUndefined();
  });

  it("ends at the end time in the user's zone, across midnight", () => {
    // 23:30 in Seoul → 08:00 the next morning, Seoul time.
    expect(endOfQuietHours(NIGHT, "Asia/Seoul", new Date("2026-11-25T14:30:15Z"))).toEqual(new Date("2026-11-25T23:00:00Z"));
    // 01:00 in Seoul → 08:00 the same morning.
    expect(endOfQuietHours(NIGHT, "Asia/Seoul", new Date("2026-11-25T16:00:00Z"))).toEqual(new Date("2026-11-25T23:00:00Z"));
    // The same instant is 11:00 in New York: not quiet there.
    expect(endOfQuietHours(NIGHT, "America/New_York", new Date("2026-11-25T16:00:00Z"))).toBeUndefined();
    // 22:00 sharp in New York (UTC-5 in November) starts the quiet period.
    expect(endOfQuietHours(NIGHT, "America/New_York", new Date("2026-11-26T03:00:00Z"))).toEqual(new Date("2026-11-26T13:00:00Z"));
  });

  it("handles a period within one day, and none at all", () => {
    const afternoon = { enabled: true, start: 13 * 60, end: 14 * 60 + 30 };
    expect(endOfQuietHours(afternoon, "UTC", new Date("2026-11-25T13:10:00Z"))).toEqual(new Date("2026-11-25T14:30:00Z"));
    expect(endOfQuietHours(afternoon, "UTC", new Date("2026-11-25T14:30:00Z"))).toBeUndefined();
    expect(endOfQuietHours({ ...NIGHT, enabled: false }, "Asia/Seoul", new Date("2026-11-25T14:30:00Z"))).toBeUndefined();
    expect(endOfQuietHours({ enabled: true, start: 600, end: 600 }, "UTC", new Date("2026-11-25T10:00:00Z"))).toBeUndefined();
  });
});
