import { describe, expect, it } from "vitest";
import { errorCode, fieldIssues, type DayCaratClient, type RouterInputs, type RouterOutputs } from "@daycarat/client";
import { startTestApi } from "../test-server.ts";

const api = await startTestApi();

type CreateInput = RouterInputs["episodes"]["create"];
type EpisodeSummary = RouterOutputs["episodes"]["list"]["items"][number];

/** The error a call fails with (or its value, should it wrongly succeed). */
function failure(call: Promise<unknown>): Promise<unknown> {
  return call.catch((error: unknown) => error);
}

const issuePaths = (error: unknown) => fieldIssues(error).map((issue) => issue.path);

function episodeInput(overrides: Partial<CreateInput> = {}): CreateInput {
  return {
    title: "해커톤 준비",
    date: "2024-03-05",
    activityTag: "큐시즘 29기",
    contents: [{ type: "FREE", content: "팀원들과 밤새 API를 설계했다" }],
    ...overrides,
  };
}

function createEpisode(client: DayCaratClient, overrides: Partial<CreateInput> = {}) {
  return client.episodes.create.mutate(episodeInput(overrides));
}

/** What the database holds of an episode: its fields and its contents in order. */
async function storedEpisode(id: string) {
  return api.db.episode.findUnique({
    where: { id },
    select: {
      title: true,
      date: true,
      activityTagId: true,
      keyword: true,
      keywordChosenByUser: true,
      contents: { orderBy: { position: "asc" }, select: { position: true, type: true, content: true } },
    },
  });
}

/** Finalizes an episode as a submitted gem would (the gems router is not under test here). */
async function finalize(episodeId: string, keyword: "UNSET" | "EXECUTION" = "UNSET") {
  await api.db.episode.update({ where: { id: episodeId }, data: { state: "FINALIZED", keyword } });
}

describe("episodes.create", () => {
  it("records a draft with its contents in order and answers its detail", async () => {
    const { client, userId } = await api.signIn("create@x.dev");
    const main = "팀원 네 명과 48시간 동안 서비스를 기획하고 만들었다. 나는 백엔드와 배포를 맡아 API 설계부터 시작했다.";

    const episode = await createEpisode(client, {
      title: "큐시즘 해커톤",
      date: "2024-02-29",
      contents: [
        { type: "LESSONS_LEARNED", content: main },
        { type: "REGRETS", content: "테스트를 늦게 썼다" },
        { type: "IMPROVEMENTS", content: "배포 자동화를 먼저 하자" },
      ],
    });

    const stored = await api.db.episode.findUniqueOrThrow({ where: { id: episode.id }, include: { contents: true } });
    expect(episode).toEqual({
      id: stored.id,
      title: "큐시즘 해커톤",
      date: "2024-02-29",
      state: "DRAFT",
      keyword: "UNSET",
      keywordChosenByUser: false,
      activityTag: { id: stored.activityTagId, name: "큐시즘 29기" },
      snippet: Array.from(main).slice(0, 50).join(""),
      contents: [
        { type: "LESSONS_LEARNED", content: main },
        { type: "REGRETS", content: "테스트를 늦게 썼다" },
        { type: "IMPROVEMENTS", content: "배포 자동화를 먼저 하자" },
      ],
      gem: null,
      analysis: null,
      createdAt: stored.createdAt.toISOString(),
      updatedAt: stored.updatedAt.toISOString(),
    });
    expect(episode.snippet).toHaveLength(50);
    expect(stored.userId).toBe(userId);
    expect(stored.contents.map((content) => content.position).sort()).toEqual([0, 1, 2]);
  });

  it("creates the activity tag on first use and reuses it after, one per user", async () => {
    const { client, userId } = await api.signIn("tags@x.dev");

    const first = await createEpisode(client, { activityTag: "디프만 15기" });
    const second = await createEpisode(client, { activityTag: "  디프만 15기 " });
    const other = await api.signIn("tags-other@x.dev");
    const theirs = await createEpisode(other.client, { activityTag: "디프만 15기" });

    expect(second.activityTag).toEqual(first.activityTag);
    expect(await api.db.activityTag.count({ where: { userId } })).toBe(1);
    expect(theirs.activityTag.name).toBe("디프만 15기");
    expect(theirs.activityTag.id).not.toBe(first.activityTag.id);
  });

  it("creates one tag when several episodes name a new one at once", async () => {
    const { client, userId } = await api.signIn("tags-race@x.dev");

    const episodes = await Promise.all(
      Array.from({ length: 5 }, (_, index) => createEpisode(client, { title: `동시 ${index}`, activityTag: "새 동아리" })),
    );

    expect(new Set(episodes.map((episode) => episode.activityTag.id)).size).toBe(1);
    expect(await api.db.activityTag.count({ where: { userId } })).toBe(1);
  });

  it("keeps Korean, emoji and every other character exactly, counting emoji as one character", async () => {
    const { client } = await api.signIn("unicode@x.dev");
    const title = '🎉 해커톤 우승! 👩‍💻 Ｆｕｌｌ-width 〜 "인용" <b>';
    const content = "첫 줄 😀\n둘째 줄\t탭 🇰🇷 e\u0301 한글 자모 ㅋㅋ 𠜎 \\ % _";

    const created = await createEpisode(client, { title, activityTag: "🚀 로켓단", contents: [{ type: "FREE", content }] });
    const fetched = await client.episodes.get.query({ id: created.id });

    expect(fetched.title).toBe(title);
    expect(fetched.contents).toEqual([{ type: "FREE", content }]);
    expect(fetched.activityTag.name).toBe("🚀 로켓단");
    const longest = await createEpisode(client, { title: "😀".repeat(100) });
    expect(longest.title).toBe("😀".repeat(100));
  });

  it("refuses invalid input, naming the field, and writes nothing", async () => {
    const { client, userId } = await api.signIn("create-invalid@x.dev");
    const cases: [Partial<CreateInput>, string][] = [
      [{ title: "가".repeat(101) }, "title"],
      [{ title: "   " }, "title"],
      [{ date: "2024-02-30" }, "date"],
      [{ date: "2024/03/05" }, "date"],
      [{ activityTag: "가".repeat(51) }, "activityTag"],
      [{ contents: [] }, "contents"],
      [{ contents: Array.from({ length: 21 }, () => ({ type: "FREE" as const, content: "내용" })) }, "contents"],
      [{ contents: [{ type: "FREE", content: "가".repeat(50_001) }] }, "contents.0.content"],
      [
        {
          contents: [
            { type: "FREE", content: "내용" },
            { type: "FREE", content: " " },
          ],
        },
        "contents.1.content",
      ],
    ];

    for (const [overrides, path] of cases) {
      const error = await failure(createEpisode(client, overrides));
      expect(errorCode(error), path).toBe("BAD_REQUEST");
      expect(issuePaths(error)).toEqual([path]);
    }
    expect(await api.db.episode.count({ where: { userId } })).toBe(0);
    expect(await api.db.activityTag.count({ where: { userId } })).toBe(0);
  });

  it("accepts the limits themselves: 20 contents, 50,000 characters, a 100-character title", async () => {
    const { client } = await api.signIn("create-largest@x.dev");
    const contents = Array.from({ length: 20 }, (_, index) => ({ type: "FREE" as const, content: `내용 ${index}` }));
    contents[0] = { type: "FREE", content: "가".repeat(50_000) };

    const episode = await createEpisode(client, { contents, title: "가".repeat(100) });

    expect(episode.contents).toEqual(contents);
    expect(episode.title).toBe("가".repeat(100));
  });
});

describe("text the database could not keep as sent", () => {
  const FAMILY = "👨‍👩‍👧‍👦"; // one character a person sees, 7 code points

  it("counts characters as a person sees them: 100 family emoji are a 100-character title, 101 are too many", async () => {
    const { client } = await api.signIn("graphemes@x.dev");
    const episode = await createEpisode(client, {
      title: FAMILY.repeat(100),
      activityTag: FAMILY.repeat(50),
      contents: [{ type: "FREE", content: FAMILY.repeat(60) }],
    });
    expect(episode.title).toBe(FAMILY.repeat(100));
    // The list snippet is 50 characters too, none cut in half.
    expect(episode.snippet).toBe(FAMILY.repeat(50));
    expect((await storedEpisode(episode.id))?.title).toBe(FAMILY.repeat(100));
    expect(episode.activityTag.name).toBe(FAMILY.repeat(50));

    const tooMany = await failure(createEpisode(client, { title: FAMILY.repeat(101) }));
    expect(fieldIssues(tooMany)).toEqual([{ path: "title", message: "must be at most 100 characters" }]);
  });

  it("keeps a storage ceiling: one character of endless combining marks is refused, not stored", async () => {
    const { client } = await api.signIn("zalgo@x.dev");
    const zalgo = `a${"\u0301".repeat(2_000)}`;
    const error = await failure(createEpisode(client, { title: zalgo }));
    expect(fieldIssues(error)).toEqual([{ path: "title", message: "must be at most 1600 code points to store" }]);
  });

  it("refuses NUL and lone surrogates with 400 naming the field, anywhere in any input, and writes nothing", async () => {
    const { client, userId } = await api.signIn("nul@x.dev");
    const cases: [Partial<CreateInput>, string, string][] = [
      [{ title: "a\u0000b" }, "title", "must not contain the NUL character (U+0000)"],
      [{ activityTag: "\u0000" }, "activityTag", "must not contain the NUL character (U+0000)"],
      [{ contents: [{ type: "FREE", content: "내용\u0000" }] }, "contents.0.content", "must not contain the NUL character (U+0000)"],
      [{ title: "a\ud800b" }, "title", "must not contain a lone surrogate (malformed Unicode)"],
      [{ contents: [{ type: "FREE", content: "\udfff" }] }, "contents.0.content", "must not contain a lone surrogate (malformed Unicode)"],
      [{ date: "2024-03-05\u0000" }, "date", "must not contain the NUL character (U+0000)"],
    ];
    for (const [overrides, path, message] of cases) {
      expect(fieldIssues(await failure(createEpisode(client, overrides))), path).toEqual([{ path, message }]);
    }
    expect(await api.db.episode.count({ where: { userId } })).toBe(0);

    // Searches, cursors, ids and sign-in fields are checked alike.
    // Each call starts only when awaited, so none is refused unobserved.
    const refusals: [() => Promise<unknown>, string][] = [
      [() => client.episodes.list.query({ query: "\u0000" }), "query"],
      [() => client.episodes.list.query({ cursor: "\u0000" }), "cursor"],
      [() => client.activityTags.search.query({ query: "큐\u0000" }), "query"],
      [() => client.episodes.get.query({ id: "\ud800" }), "id"],
      [() => api.anonymous().auth.dev.mutate({ email: "a@x.dev", nickname: "\u0000" }), "nickname"],
      [() => api.anonymous().auth.refresh.mutate({ refreshToken: "\u0000" }), "refreshToken"],
      // A key is named as the field it would be.
      [() => client.episodes.create.mutate({ ...episodeInput(), "ti\u0000tle": "x" } as CreateInput), "ti\u0000tle"],
    ];
    for (const [call, path] of refusals) {
      const error = await failure(call());
      expect(errorCode(error), path).toBe("BAD_REQUEST");
      expect(issuePaths(error)).toEqual([path]);
    }
  });
});

describe("episodes.update", () => {
  it("changes only the fields given", async () => {
    const { client } = await api.signIn("update@x.dev");
    const episode = await createEpisode(client);

    const updated = await client.episodes.update.mutate({ id: episode.id, title: "해커톤 회고 ✍️", date: "2024-04-01" });

    expect(updated).toMatchObject({
      title: "해커톤 회고 ✍️",
      date: "2024-04-01",
      activityTag: episode.activityTag,
      contents: episode.contents,
      createdAt: episode.createdAt,
    });
    expect(await client.episodes.get.query({ id: episode.id })).toEqual(updated);
  });

  it("replaces the contents when given, and counts that as a change", async () => {
    const { client } = await api.signIn("update-contents@x.dev");
    const episode = await createEpisode(client, {
      contents: [
        { type: "FREE", content: "첫 내용" },
        { type: "REGRETS", content: "둘째 내용" },
        { type: "IMPROVEMENTS", content: "셋째 내용" },
      ],
    });

    const updated = await client.episodes.update.mutate({
      id: episode.id,
      contents: [
        { type: "LESSONS_LEARNED", content: "새 본문" },
        { type: "FREE", content: "새 둘째" },
      ],
    });

    expect(updated.contents).toEqual([
      { type: "LESSONS_LEARNED", content: "새 본문" },
      { type: "FREE", content: "새 둘째" },
    ]);
    expect(updated.snippet).toBe("새 본문");
    expect(updated.title).toBe(episode.title);
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(episode.updatedAt));
    expect((await storedEpisode(episode.id))?.contents).toEqual([
      { position: 0, type: "LESSONS_LEARNED", content: "새 본문" },
      { position: 1, type: "FREE", content: "새 둘째" },
    ]);
  });

  it("moves the episode to another tag, creating it when new", async () => {
    const { client, userId } = await api.signIn("update-tag@x.dev");
    const episode = await createEpisode(client, { activityTag: "큐시즘 29기" });

    const updated = await client.episodes.update.mutate({ id: episode.id, activityTag: "디프만 15기" });

    expect(updated.activityTag.name).toBe("디프만 15기");
    expect(updated.activityTag.id).not.toBe(episode.activityTag.id);
    const tags = await client.activityTags.list.query();
    expect(tags.map(({ name, episodeCount }) => ({ name, episodeCount }))).toEqual([
      { name: "디프만 15기", episodeCount: 1 },
      { name: "큐시즘 29기", episodeCount: 0 },
    ]);
    expect(await api.db.activityTag.count({ where: { userId } })).toBe(2);
  });

  it("refuses an update that changes nothing or breaks a limit", async () => {
    const { client } = await api.signIn("update-invalid@x.dev");
    const episode = await createEpisode(client);

    const empty = await failure(client.episodes.update.mutate({ id: episode.id }));
    expect(errorCode(empty)).toBe("BAD_REQUEST");
    const tooLong = await failure(client.episodes.update.mutate({ id: episode.id, title: "a".repeat(101) }));
    expect(errorCode(tooLong)).toBe("BAD_REQUEST");
    expect(issuePaths(tooLong)).toEqual(["title"]);
    const tooMany = await failure(
      client.episodes.update.mutate({ id: episode.id, contents: Array.from({ length: 21 }, () => ({ type: "FREE", content: "x" })) }),
    );
    expect(issuePaths(tooMany)).toEqual(["contents"]);
    expect(await client.episodes.get.query({ id: episode.id })).toEqual(episode);
  });
});

describe("episodes.delete", () => {
  it("deletes the episode with its contents", async () => {
    const { client } = await api.signIn("delete@x.dev");
    const episode = await createEpisode(client);

    expect(await client.episodes.delete.mutate({ id: episode.id })).toEqual({ deleted: true });

    expect(await api.db.episode.count({ where: { id: episode.id } })).toBe(0);
    expect(await api.db.episodeContent.count({ where: { episodeId: episode.id } })).toBe(0);
    expect(errorCode(await failure(client.episodes.get.query({ id: episode.id })))).toBe("NOT_FOUND");
    expect(errorCode(await failure(client.episodes.delete.mutate({ id: episode.id })))).toBe("NOT_FOUND");
  });
});

describe("another user's episode", () => {
  it("is NOT_FOUND to read, update, delete or pick a keyword for, and stays as it was", async () => {
    const owner = await api.signIn("owner@x.dev");
    const episode = await createEpisode(owner.client);
    await finalize(episode.id);
    const before = await storedEpisode(episode.id);
    const intruder = await api.signIn("intruder@x.dev");
    const { id } = episode;

    // Sent together (one batch): each failure is caught as it is made, so none goes unhandled.
    const attempts = [
      failure(intruder.client.episodes.get.query({ id })),
      failure(
        intruder.client.episodes.update.mutate({
          id,
          title: "탈취",
          activityTag: "침입자 태그",
          contents: [{ type: "FREE", content: "x" }],
        }),
      ),
      failure(intruder.client.episodes.delete.mutate({ id })),
      failure(intruder.client.episodes.setKeyword.mutate({ id, keyword: "CHALLENGE" })),
    ];
    for (const attempt of attempts) expect(errorCode(await attempt)).toBe("NOT_FOUND");

    expect(await storedEpisode(id)).toEqual(before);
    // The tag the refused update named was rolled back with it.
    expect(await api.db.activityTag.count({ where: { userId: intruder.userId } })).toBe(0);
    expect(await intruder.client.episodes.recent.query()).toEqual([]);
    expect((await intruder.client.episodes.list.query()).items).toEqual([]);
  });

  it("is NOT_FOUND like an id that does not exist", async () => {
    const { client } = await api.signIn("unknown@x.dev");
    const error = await failure(client.episodes.get.query({ id: "01890a5d-ac96-774b-bcce-b302099a8057" }));
    expect(errorCode(error)).toBe("NOT_FOUND");
    expect(issuePaths(await failure(client.episodes.get.query({ id: "not-a-uuid" })))).toEqual(["id"]);
  });
});

describe("episodes.get", () => {
  it("includes the gem and its newest analysis", async () => {
    const { client, userId } = await api.signIn("get@x.dev");
    const episode = await createEpisode(client);
    const submittedAt = new Date("2024-03-06T09:00:00.000Z");
    const gem = await api.db.gem.create({
      data: {
        episodeId: episode.id,
        userId,
        situation: "상황",
        objective: "목표",
        action: "행동",
        result: "결과",
        aftermath: "영향",
        version: 2,
        submittedAt,
      },
    });
    await api.db.analysis.create({
      data: {
        gemId: gem.id,
        userId,
        gemVersion: 1,
        status: "FAILED",
        failureReason: "시간 초과",
        createdAt: new Date("2024-03-06T08:00:00Z"),
      },
    });
    const newest = await api.db.analysis.create({
      data: {
        gemId: gem.id,
        userId,
        gemVersion: 2,
        status: "SUCCEEDED",
        keyword: "EXECUTION",
        sentences: ["하나", "둘", "셋"],
        attempts: 1,
        createdAt: new Date("2024-03-06T09:00:01Z"),
        finishedAt: new Date("2024-03-06T09:00:05Z"),
      },
    });
    await finalize(episode.id, "EXECUTION");

    const detail = await client.episodes.get.query({ id: episode.id });

    expect(detail).toMatchObject({ state: "FINALIZED", keyword: "EXECUTION", contents: episode.contents });
    expect(detail.gem).toEqual({
      episodeId: episode.id,
      situation: "상황",
      objective: "목표",
      action: "행동",
      result: "결과",
      aftermath: "영향",
      version: 2,
      submittedAt: submittedAt.toISOString(),
      updatedAt: gem.updatedAt.toISOString(),
    });
    expect(detail.analysis).toEqual({
      id: newest.id,
      gemVersion: 2,
      status: "SUCCEEDED",
      keyword: "EXECUTION",
      sentences: ["하나", "둘", "셋"],
      attempts: 1,
      failureReason: null,
      createdAt: "2024-03-06T09:00:01.000Z",
      finishedAt: "2024-03-06T09:00:05.000Z",
    });
  });
});

describe("episodes.recent", () => {
  it("answers the three most recently created episodes, whatever their dates", async () => {
    const { client } = await api.signIn("recent@x.dev");
    expect(await client.episodes.recent.query()).toEqual([]);
    const created = [];
    for (const date of ["2024-05-01", "2020-01-01", "2025-12-31", "2019-07-07"]) {
      created.push(await createEpisode(client, { title: `기록 ${date}`, date }));
    }

    const recent = await client.episodes.recent.query();

    expect(recent.map((episode) => episode.title)).toEqual(["기록 2019-07-07", "기록 2025-12-31", "기록 2020-01-01"]);
    expect(recent[0]).toEqual({
      id: created[3]?.id,
      title: "기록 2019-07-07",
      date: "2019-07-07",
      state: "DRAFT",
      keyword: "UNSET",
      keywordChosenByUser: false,
      activityTag: created[3]?.activityTag,
      snippet: "팀원들과 밤새 API를 설계했다",
      createdAt: created[3]?.createdAt,
      updatedAt: created[3]?.updatedAt,
    });
  });
});

describe("episodes.setKeyword", () => {
  it("sets a finalized episode's keyword as the user's choice", async () => {
    const { client } = await api.signIn("keyword@x.dev");
    const episode = await createEpisode(client);
    await finalize(episode.id, "EXECUTION");

    const updated = await client.episodes.setKeyword.mutate({ id: episode.id, keyword: "COMMUNICATION" });

    expect(updated).toMatchObject({ id: episode.id, state: "FINALIZED", keyword: "COMMUNICATION", keywordChosenByUser: true });
    expect(await storedEpisode(episode.id)).toMatchObject({ keyword: "COMMUNICATION", keywordChosenByUser: true });
  });

  it("answers CONFLICT for a draft and leaves it alone", async () => {
    const { client } = await api.signIn("keyword-draft@x.dev");
    const episode = await createEpisode(client);

    const error = await failure(client.episodes.setKeyword.mutate({ id: episode.id, keyword: "CREATIVITY" }));

    expect(errorCode(error)).toBe("CONFLICT");
    expect(await storedEpisode(episode.id)).toMatchObject({ keyword: "UNSET", keywordChosenByUser: false });
  });

  it("accepts only the six keywords", async () => {
    const { client } = await api.signIn("keyword-invalid@x.dev");
    const episode = await createEpisode(client);
    await finalize(episode.id);

    for (const keyword of ["UNSET", "LEADERSHIP"]) {
      const error = await failure(client.episodes.setKeyword.mutate({ id: episode.id, keyword: keyword as "CHALLENGE" }));
      expect(errorCode(error)).toBe("BAD_REQUEST");
      expect(issuePaths(error)).toEqual(["keyword"]);
    }
  });
});

describe("episodes.list", () => {
  const titles = (page: { items: EpisodeSummary[] }) => page.items.map((item) => item.title);

  it("filters by period, tag, keyword, state and text, newest date first", async () => {
    const { client } = await api.signIn("list@x.dev");
    const march5 = await createEpisode(client, {
      title: "해커톤 준비",
      date: "2024-03-05",
      activityTag: "큐시즘",
      contents: [
        { type: "FREE", content: "기획 회의를 했다" },
        { type: "LESSONS_LEARNED", content: "팀원들과 밤새 스키마를 설계했다" },
      ],
    });
    const march31 = await createEpisode(client, {
      title: "Design Review",
      date: "2024-03-31",
      activityTag: "동아리",
      contents: [{ type: "FREE", content: "Figma 시안을 검토했다" }],
    });
    await createEpisode(client, { title: "발표", date: "2024-04-01", activityTag: "큐시즘" });
    await createEpisode(client, { title: "작년 3월", date: "2023-03-10", activityTag: "동아리" });
    await createEpisode(client, { title: "새해", date: "2025-01-01", activityTag: "큐시즘" });
    await finalize(march31.id, "EXECUTION");
    const other = await api.signIn("list-other@x.dev");
    await createEpisode(other.client, { title: "남의 해커톤", date: "2024-03-06", activityTag: "큐시즘" });

    const list = (input: RouterInputs["episodes"]["list"]) => client.episodes.list.query(input).then(titles);

    expect(await list({})).toEqual(["새해", "발표", "Design Review", "해커톤 준비", "작년 3월"]);
    expect(await list({ year: 2024 })).toEqual(["발표", "Design Review", "해커톤 준비"]);
    expect(await list({ year: 2024, month: 3 })).toEqual(["Design Review", "해커톤 준비"]);
    expect(await list({ year: 2024, month: 2 })).toEqual([]);
    expect(await list({ activityTagId: march5.activityTag.id })).toEqual(["새해", "발표", "해커톤 준비"]);
    expect(await list({ year: 2024, activityTagId: march5.activityTag.id })).toEqual(["발표", "해커톤 준비"]);
    expect(await list({ keyword: "EXECUTION" })).toEqual(["Design Review"]);
    expect(await list({ keyword: "UNSET", year: 2024 })).toEqual(["발표", "해커톤 준비"]);
    expect(await list({ state: "FINALIZED" })).toEqual(["Design Review"]);
    expect(await list({ state: "DRAFT", year: 2024 })).toEqual(["발표", "해커톤 준비"]);
    // A Korean substring of a content that is not the main one.
    expect(await list({ query: "밤새 스키마" })).toEqual(["해커톤 준비"]);
    expect(await list({ query: "design REVIEW" })).toEqual(["Design Review"]);
    expect(await list({ query: "figma" })).toEqual(["Design Review"]);
    expect(await list({ query: "해커톤" })).toEqual(["해커톤 준비"]);
    expect(await list({ query: "%" })).toEqual([]);
    expect(await list({ query: "_" })).toEqual([]);
    expect(await list({ query: "없는 말" })).toEqual([]);

    const [item] = (await client.episodes.list.query({ year: 2024, month: 3, limit: 1 })).items;
    expect(item).toEqual({
      id: march31.id,
      title: "Design Review",
      date: "2024-03-31",
      state: "FINALIZED",
      keyword: "EXECUTION",
      keywordChosenByUser: false,
      activityTag: march31.activityTag,
      snippet: "Figma 시안을 검토했다",
      createdAt: march31.createdAt,
      updatedAt: (await api.db.episode.findUniqueOrThrow({ where: { id: march31.id } })).updatedAt.toISOString(),
    });
  });

  it("refuses a month without a year, a bad limit or cursor, and too long a query", async () => {
    const { client } = await api.signIn("list-invalid@x.dev");
    const cases: [RouterInputs["episodes"]["list"], string][] = [
      [{ month: 3 }, "month"],
      [{ year: 2024, month: 13 }, "month"],
      [{ limit: 0 }, "limit"],
      [{ limit: 51 }, "limit"],
      [{ cursor: "not a cursor" }, "cursor"],
      [{ cursor: Buffer.from("2024-03-05 not-a-uuid").toString("base64url") }, "cursor"],
      // Year 0 is a valid ISO date and not a Postgres one: refused, never a 500 from the database.
      [{ cursor: Buffer.from("0000-01-01 0193a0c4-0000-7000-8000-00000000abcd").toString("base64url") }, "cursor"],
      [{ query: "가".repeat(101) }, "query"],
      [{ query: "  " }, "query"],
    ];
    for (const [input, path] of cases) {
      const error = await failure(client.episodes.list.query(input));
      expect(errorCode(error), JSON.stringify(input)).toBe("BAD_REQUEST");
      expect(issuePaths(error)).toEqual([path]);
    }
  });

  it("answers 20 items a page unless told otherwise", async () => {
    const { client, userId } = await api.signIn("list-default@x.dev");
    const { activityTag } = await createEpisode(client, { date: "2024-01-31" });
    await api.db.episode.createMany({
      data: Array.from({ length: 20 }, (_, day) => ({
        userId,
        activityTagId: activityTag.id,
        title: `1월 ${day + 1}일`,
        date: new Date(Date.UTC(2024, 0, day + 1)),
      })),
    });

    const first = await client.episodes.list.query();
    expect(first.items).toHaveLength(20);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await client.episodes.list.query({ cursor: first.nextCursor ?? undefined });
    expect(titles(second)).toEqual(["1월 1일"]);
    expect(second.nextCursor).toBeNull();
  });

  it("pages through every existing episode exactly once while others are inserted", async () => {
    const { client } = await api.signIn("paging@x.dev");
    // Two episodes a day, so that pages also end between episodes of one date.
    const existing = [];
    for (let index = 0; index < 14; index++) {
      const date = `2024-06-${String(10 + Math.floor(index / 2))}`;
      existing.push(await createEpisode(client, { title: `기존 ${index}`, date }));
    }
    const insertAround = (round: number) =>
      Promise.all([
        createEpisode(client, { title: `나중 ${round}`, date: "2025-01-01" }),
        createEpisode(client, { title: `이전 ${round}`, date: `2023-12-${String(round + 1).padStart(2, "0")}` }),
        createEpisode(client, { title: `같은 날 ${round}`, date: "2024-06-13" }),
      ]);

    const seen: EpisodeSummary[] = [];
    let cursor: string | undefined;
    let round = 0;
    do {
      // Each page is fetched while episodes dated before, after and at the cursor are created.
      const [page] = await Promise.all([client.episodes.list.query({ limit: 3, cursor }), insertAround(round)]);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      round++;
    } while (cursor !== undefined && round < 30);

    const ids = seen.map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    const byDateThenIdDesc = (a: EpisodeSummary, b: EpisodeSummary) =>
      b.date.localeCompare(a.date) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
    expect(seen).toEqual(seen.toSorted(byDateThenIdDesc));
    const existingIds = new Set(existing.map((episode) => episode.id));
    expect(cursor).toBeUndefined();
    expect(seen.filter((item) => existingIds.has(item.id)).map((item) => item.id)).toEqual(
      existing.toSorted(byDateThenIdDesc).map((episode) => episode.id),
    );
  });
});
