import { beforeAll, describe, expect, it } from "vitest";
import { errorCode } from "@daycarat/client";
import { activityTagSearchColumns, type EpisodeState, type Keyword } from "@daycarat/db";
import { startTestApi } from "../test-server.ts";

const api = await startTestApi();

/** The error a call fails with (or its value, should it wrongly succeed). */
function failure(call: Promise<unknown>): Promise<unknown> {
  return call.catch((error: unknown) => error);
}

interface FixtureEpisode {
  date: string;
  tag: string;
  state?: EpisodeState;
  keyword?: Keyword;
  /** Gives the episode a gem: submitted at that instant, or a draft gem when null. */
  gemSubmittedAt?: string | null;
}

/** Stores the episodes as written, creating each tag on first use; returns the tag ids by name. */
async function seed(userId: string, episodes: FixtureEpisode[]): Promise<Map<string, string>> {
  const tagIds = new Map<string, string>();
  for (const { date, tag, state = "DRAFT", keyword = "UNSET", gemSubmittedAt } of episodes) {
    let activityTagId = tagIds.get(tag);
    if (!activityTagId) {
      activityTagId = (await api.db.activityTag.create({ data: { userId, name: tag, ...activityTagSearchColumns(tag) } })).id;
      tagIds.set(tag, activityTagId);
    }
    const episode = await api.db.episode.create({
      data: { userId, activityTagId, title: `${tag} ${date}`, date: new Date(date), state, keyword },
    });
    if (gemSubmittedAt !== undefined) {
      const submittedAt = gemSubmittedAt === null ? null : new Date(gemSubmittedAt);
      await api.db.gem.create({ data: { episodeId: episode.id, userId, situation: "상황", submittedAt } });
    }
  }
  return tagIds;
}

/** Today's date (YYYY-MM-DD) on a wall clock in that zone. */
function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone }).format(new Date());
}

/** A calendar date moved by whole months or days, as YYYY-MM-DD. */
function shiftDate(date: string, { months = 0, days = 0 }: { months?: number; days?: number }): string {
  const [year = 0, month = 1, day = 1] = date.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1 + months, day + days)).toISOString().slice(0, 10);
}

describe("stats.byMonth, byActivityTag and byKeyword", () => {
  let alice: Awaited<ReturnType<typeof api.signIn>>;
  let tagIds: Map<string, string>;

  beforeAll(async () => {
    alice = await api.signIn("a@x.dev");
    tagIds = await seed(alice.userId, [
      { date: "2024-12-31", tag: "큐시즘 29기", state: "FINALIZED", keyword: "COMMUNICATION" },
      { date: "2025-01-01", tag: "큐시즘 29기", state: "FINALIZED", keyword: "COMMUNICATION" },
      { date: "2025-01-31", tag: "큐시즘 29기", state: "FINALIZED", keyword: "PROBLEM_SOLVING" },
      { date: "2025-03-15", tag: "밋업 스터디", state: "FINALIZED", keyword: "COMMUNICATION" },
      { date: "2025-03-16", tag: "밋업 스터디" },
      // A draft's keyword does not count; a finalized episode the AI has not tagged yet neither.
      { date: "2025-03-17", tag: "교내 해커톤", state: "DRAFT", keyword: "CREATIVITY" },
      { date: "2025-12-31", tag: "교내 해커톤", state: "FINALIZED", keyword: "UNSET" },
      { date: "2026-01-01", tag: "교내 해커톤" },
    ]);
    // A tag whose episodes are gone, and another user's episode: neither shows.
    await api.db.activityTag.create({ data: { userId: alice.userId, name: "빈 활동", ...activityTagSearchColumns("빈 활동") } });
    const bob = await api.signIn("b@x.dev");
    await seed(bob.userId, [{ date: "2025-03-01", tag: "큐시즘 29기", state: "FINALIZED", keyword: "EXPERTISE" }]);
  });

  it("byMonth counts the year's episodes by date in twelve zero-filled buckets", async () => {
    const counts2025 = await alice.client.stats.byMonth.query({ year: 2025 });

    expect(counts2025).toEqual([
      { month: 1, count: 2 },
      { month: 2, count: 0 },
      { month: 3, count: 3 },
      { month: 4, count: 0 },
      { month: 5, count: 0 },
      { month: 6, count: 0 },
      { month: 7, count: 0 },
      { month: 8, count: 0 },
      { month: 9, count: 0 },
      { month: 10, count: 0 },
      { month: 11, count: 0 },
      { month: 12, count: 1 },
    ]);
    const counts2024 = await alice.client.stats.byMonth.query({ year: 2024 });
    expect(counts2024.map(({ count }) => count)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    const counts2030 = await alice.client.stats.byMonth.query({ year: 2030 });
    expect(counts2030.every(({ count }) => count === 0)).toBe(true);
  });

  it("byActivityTag counts episodes per tag, most first and equal counts by name", async () => {
    expect(await alice.client.stats.byActivityTag.query()).toEqual([
      { activityTagId: tagIds.get("교내 해커톤"), name: "교내 해커톤", count: 3 },
      { activityTagId: tagIds.get("큐시즘 29기"), name: "큐시즘 29기", count: 3 },
      { activityTagId: tagIds.get("밋업 스터디"), name: "밋업 스터디", count: 2 },
    ]);
  });

  it("byKeyword counts finalized episodes for each of the six keywords", async () => {
    expect(await alice.client.stats.byKeyword.query()).toEqual([
      { keyword: "COMMUNICATION", count: 3 },
      { keyword: "PROBLEM_SOLVING", count: 1 },
      { keyword: "CREATIVITY", count: 0 },
      { keyword: "CHALLENGE", count: 0 },
      { keyword: "EXPERTISE", count: 0 },
      { keyword: "EXECUTION", count: 0 },
    ]);
  });

  it("answers a new user with zeros and empty lists", async () => {
    const { client } = await api.signIn("new@x.dev");

    expect((await client.stats.byMonth.query({ year: 2025 })).map(({ count }) => count)).toEqual(Array(12).fill(0));
    expect(await client.stats.byActivityTag.query()).toEqual([]);
    expect((await client.stats.byKeyword.query()).map(({ count }) => count)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(await client.stats.counts.query()).toEqual({ thisMonth: 0, total: 0, gems: 0 });
    expect(await client.stats.monthlyReport.query({ year: 2025, month: 1 })).toEqual({
      year: 2025,
      month: 1,
      gems: 0,
      topKeyword: null,
      topActivity: null,
    });
  });

  it("refuses malformed years and months, and callers without a session", async () => {
    expect(errorCode(await failure(alice.client.stats.byMonth.query({ year: 2025.5 })))).toBe("BAD_REQUEST");
    expect(errorCode(await failure(alice.client.stats.monthlyReport.query({ year: 2025, month: 13 })))).toBe("BAD_REQUEST");
    expect(errorCode(await failure(api.anonymous().stats.counts.query()))).toBe("UNAUTHORIZED");
  });
});

describe("stats.counts", () => {
  it("counts episodes dated this month in Seoul, all episodes, and submitted gems", async () => {
    const { client, userId } = await api.signIn("counts@x.dev");
    const firstDay = `${todayIn("Asia/Seoul").slice(0, 7)}-01`;
    await seed(userId, [
      { date: shiftDate(firstDay, { days: -1 }), tag: "지난달", gemSubmittedAt: "2020-01-01T00:00:00Z" },
      { date: firstDay, tag: "이번 달", gemSubmittedAt: new Date().toISOString() },
      { date: shiftDate(firstDay, { months: 1, days: -1 }), tag: "이번 달", gemSubmittedAt: null },
      { date: shiftDate(firstDay, { months: 1 }), tag: "다음 달" },
    ]);

    expect(await client.stats.counts.query()).toEqual({ thisMonth: 2, total: 4, gems: 2 });
  });
});

describe("stats.monthlyReport", () => {
  it("reports gems submitted in a month of Seoul's calendar, with their top keyword and activity", async () => {
    const { client, userId } = await api.signIn("report@x.dev");
    const tagIds = await seed(userId, [
      // 2026-10-31 23:59 in Seoul: October.
      { date: "2026-10-20", tag: "밋업 스터디", state: "FINALIZED", keyword: "EXECUTION", gemSubmittedAt: "2026-10-31T14:59:00Z" },
      // 2026-11-01 00:30 in Seoul: November, though still October in UTC.
      { date: "2026-10-25", tag: "큐시즘 29기", state: "FINALIZED", keyword: "COMMUNICATION", gemSubmittedAt: "2026-10-31T15:30:00Z" },
      { date: "2026-11-10", tag: "교내 해커톤", state: "FINALIZED", keyword: "COMMUNICATION", gemSubmittedAt: "2026-11-15T03:00:00Z" },
      // 2026-11-30 23:30 in Seoul: November.
      { date: "2026-11-20", tag: "교내 해커톤", state: "FINALIZED", keyword: "CHALLENGE", gemSubmittedAt: "2026-11-30T14:30:00Z" },
      // 2026-12-01 00:00 in Seoul: December, though still November in UTC.
      { date: "2026-11-29", tag: "교내 해커톤", state: "FINALIZED", keyword: "CHALLENGE", gemSubmittedAt: "2026-11-30T15:00:00Z" },
      // A gem never submitted is no gem of any month.
      { date: "2026-11-05", tag: "큐시즘 29기", gemSubmittedAt: null },
    ]);
    const bob = await api.signIn("report-other@x.dev");
    await seed(bob.userId, [
      { date: "2026-11-02", tag: "큐시즘 29기", state: "FINALIZED", keyword: "EXPERTISE", gemSubmittedAt: "2026-11-02T00:00:00Z" },
    ]);

    expect(await client.stats.monthlyReport.query({ year: 2026, month: 11 })).toEqual({
      year: 2026,
      month: 11,
      gems: 3,
      topKeyword: "COMMUNICATION",
      topActivity: { id: tagIds.get("교내 해커톤"), name: "교내 해커톤", count: 2 },
    });
    expect(await client.stats.monthlyReport.query({ year: 2026, month: 10 })).toEqual({
      year: 2026,
      month: 10,
      gems: 1,
      topKeyword: "EXECUTION",
      topActivity: { id: tagIds.get("밋업 스터디"), name: "밋업 스터디", count: 1 },
    });
    expect(await client.stats.monthlyReport.query({ year: 2026, month: 12 })).toMatchObject({ gems: 1, topKeyword: "CHALLENGE" });
  });

  it("follows the user's own time zone", async () => {
    const { client, userId } = await api.signIn("report-la@x.dev");
    await api.db.user.update({ where: { id: userId }, data: { timeZone: "America/Los_Angeles" } });
    // 2026-10-31 23:30 in Los Angeles (UTC-7): October there, November in Seoul and in UTC.
    await seed(userId, [
      { date: "2026-10-31", tag: "해커톤", state: "FINALIZED", keyword: "CREATIVITY", gemSubmittedAt: "2026-11-01T06:30:00Z" },
    ]);

    expect(await client.stats.monthlyReport.query({ year: 2026, month: 10 })).toMatchObject({ gems: 1, topKeyword: "CREATIVITY" });
    expect(await client.stats.monthlyReport.query({ year: 2026, month: 11 })).toMatchObject({ gems: 0, topKeyword: null });
  });

  it("breaks ties by the product's keyword order and by activity name, and ignores unset keywords", async () => {
    const { client, userId } = await api.signIn("report-ties@x.dev");
    // "나 스터디" is created first, so neither creation order nor alphabetical keyword order
    // would give the answers below.
    const tagIds = await seed(userId, [
      { date: "2026-09-01", tag: "나 스터디", state: "FINALIZED", keyword: "CHALLENGE", gemSubmittedAt: "2026-09-02T00:00:00Z" },
      { date: "2026-09-03", tag: "가 동아리", state: "FINALIZED", keyword: "PROBLEM_SOLVING", gemSubmittedAt: "2026-09-04T00:00:00Z" },
      { date: "2026-09-05", tag: "나 스터디", state: "FINALIZED", keyword: "UNSET", gemSubmittedAt: "2026-09-06T00:00:00Z" },
      { date: "2026-09-07", tag: "가 동아리", state: "FINALIZED", keyword: "UNSET", gemSubmittedAt: "2026-09-08T00:00:00Z" },
    ]);

    expect(await client.stats.monthlyReport.query({ year: 2026, month: 9 })).toEqual({
      year: 2026,
      month: 9,
      gems: 4,
      topKeyword: "PROBLEM_SOLVING",
      topActivity: { id: tagIds.get("가 동아리"), name: "가 동아리", count: 2 },
    });
  });
});
