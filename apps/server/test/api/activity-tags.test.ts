import { describe, expect, it } from "vitest";
import { errorCode, fieldIssues, type DayCaratClient, type RouterInputs } from "@daycarat/client";
import { activityTagSearchColumns } from "@daycarat/db";
import { startTestApi } from "../test-server.ts";

const api = await startTestApi();

/** The error a call fails with (or its value, should it wrongly succeed). */
function failure(call: Promise<unknown>): Promise<unknown> {
  return call.catch((error: unknown) => error);
}

/** Tags exist only through episodes: an episode under that tag name. */
function createEpisode(client: DayCaratClient, activityTag: string, title = "활동 기록") {
  const input: RouterInputs["episodes"]["create"] = {
    title,
    date: "2024-03-05",
    activityTag,
    contents: [{ type: "FREE", content: "팀원들과 밤새 API를 설계했다" }],
  };
  return client.episodes.create.mutate(input);
}

describe("activityTags.list", () => {
  it("lists the caller's tags by name with how many episodes use each", async () => {
    const { client } = await api.signIn("list@x.dev");
    await createEpisode(client, "큐시즘 29기");
    await createEpisode(client, "큐시즘 29기");
    await createEpisode(client, "Alpha");
    const moved = await createEpisode(client, "Unused");
    await client.episodes.update.mutate({ id: moved.id, activityTag: "Alpha" });

    const tags = await client.activityTags.list.query();

    expect(tags.map(({ name, episodeCount }) => ({ name, episodeCount }))).toEqual([
      { name: "Alpha", episodeCount: 2 },
      { name: "Unused", episodeCount: 0 },
      { name: "큐시즘 29기", episodeCount: 2 },
    ]);
    const other = await api.signIn("list-other@x.dev");
    expect(await other.client.activityTags.list.query()).toEqual([]);
  });
});

describe("activityTags.rename", () => {
  it("renames the tag everywhere and keeps its search columns in step", async () => {
    const { client } = await api.signIn("rename@x.dev");
    const episode = await createEpisode(client, "큐시즘 29기");

    const renamed = await client.activityTags.rename.mutate({ id: episode.activityTag.id, name: "  디프만 15기 🚀 " });

    expect(renamed).toEqual({ id: episode.activityTag.id, name: "디프만 15기 🚀", episodeCount: 1 });
    const stored = await api.db.activityTag.findUniqueOrThrow({ where: { id: renamed.id } });
    expect(stored).toMatchObject({ name: "디프만 15기 🚀", ...activityTagSearchColumns("디프만 15기 🚀") });
    expect((await client.episodes.get.query({ id: episode.id })).activityTag).toEqual({ id: renamed.id, name: "디프만 15기 🚀" });
    expect(await client.activityTags.search.query({ query: "ㄷㅍㅁ" })).toHaveLength(1);
    expect(await client.activityTags.search.query({ query: "ㅋㅅㅈ" })).toEqual([]);
  });

  it("answers CONFLICT when the caller already has that name, and changes nothing", async () => {
    const { client } = await api.signIn("rename-conflict@x.dev");
    const first = await createEpisode(client, "큐시즘 29기");
    const second = await createEpisode(client, "디프만");

    const error = await failure(client.activityTags.rename.mutate({ id: second.activityTag.id, name: "큐시즘 29기" }));

    expect(errorCode(error)).toBe("CONFLICT");
    const names = (await client.activityTags.list.query()).map((tag) => tag.name);
    expect(names).toEqual(["디프만", "큐시즘 29기"]);
    // Its own name is no conflict, and another user's tags are no concern.
    await expect(client.activityTags.rename.mutate({ id: first.activityTag.id, name: "큐시즘 29기" })).resolves.toMatchObject({
      name: "큐시즘 29기",
    });
    const other = await api.signIn("rename-conflict-other@x.dev");
    const theirs = await createEpisode(other.client, "다른 이름");
    await expect(other.client.activityTags.rename.mutate({ id: theirs.activityTag.id, name: "디프만" })).resolves.toMatchObject({
      name: "디프만",
    });
  });

  it("answers NOT_FOUND for another user's tag and leaves it alone", async () => {
    const owner = await api.signIn("rename-owner@x.dev");
    const { activityTag } = await createEpisode(owner.client, "큐시즘 29기");
    const intruder = await api.signIn("rename-intruder@x.dev");

    const error = await failure(intruder.client.activityTags.rename.mutate({ id: activityTag.id, name: "탈취" }));

    expect(errorCode(error)).toBe("NOT_FOUND");
    expect(await api.db.activityTag.findUniqueOrThrow({ where: { id: activityTag.id } })).toMatchObject({
      name: "큐시즘 29기",
      ...activityTagSearchColumns("큐시즘 29기"),
    });
  });

  it("refuses a blank or too long name, naming the field", async () => {
    const { client } = await api.signIn("rename-invalid@x.dev");
    const { activityTag } = await createEpisode(client, "큐시즘 29기");

    for (const name of ["   ", "가".repeat(51)]) {
      const error = await failure(client.activityTags.rename.mutate({ id: activityTag.id, name }));
      expect(errorCode(error)).toBe("BAD_REQUEST");
      expect(fieldIssues(error).map((issue) => issue.path)).toEqual(["name"]);
    }
    await expect(client.activityTags.rename.mutate({ id: activityTag.id, name: "가".repeat(50) })).resolves.toMatchObject({
      name: "가".repeat(50),
    });
  });
});

describe("activityTags.delete", () => {
  it("deletes an unused tag, and answers CONFLICT while an episode uses it", async () => {
    const { client } = await api.signIn("delete@x.dev");
    const episode = await createEpisode(client, "큐시즘 29기");
    const { id } = episode.activityTag;

    expect(errorCode(await failure(client.activityTags.delete.mutate({ id })))).toBe("CONFLICT");
    expect(await api.db.activityTag.count({ where: { id } })).toBe(1);

    await client.episodes.delete.mutate({ id: episode.id });
    expect(await client.activityTags.delete.mutate({ id })).toEqual({ deleted: true });
    expect(await api.db.activityTag.count({ where: { id } })).toBe(0);
    expect(errorCode(await failure(client.activityTags.delete.mutate({ id })))).toBe("NOT_FOUND");
  });

  it("answers NOT_FOUND for another user's tag, used or not, and keeps it", async () => {
    const owner = await api.signIn("delete-owner@x.dev");
    const used = await createEpisode(owner.client, "사용 중");
    const unused = await createEpisode(owner.client, "곧 비어요");
    await owner.client.episodes.delete.mutate({ id: unused.id });
    const intruder = await api.signIn("delete-intruder@x.dev");

    for (const { id } of [used.activityTag, unused.activityTag]) {
      expect(errorCode(await failure(intruder.client.activityTags.delete.mutate({ id })))).toBe("NOT_FOUND");
      expect(await api.db.activityTag.count({ where: { id } })).toBe(1);
    }
  });
});

describe("activityTags.search", () => {
  it("finds by substring, initial consonants and a syllable being typed, only among the caller's tags", async () => {
    const { client } = await api.signIn("search@x.dev");
    for (const name of ["큐시즘 29기", "큐브 동아리", "Kakao Tech Campus", "100% 달성"]) await createEpisode(client, name);
    const other = await api.signIn("search-other@x.dev");
    await createEpisode(other.client, "큐시즘 30기");

    const names = async (query: string) => (await client.activityTags.search.query({ query })).map((tag) => tag.name);

    expect(await names("ㅋㅅㅈ")).toEqual(["큐시즘 29기"]);
    expect(await names("큣")).toEqual(["큐시즘 29기"]);
    expect(await names("시즘 2")).toEqual(["큐시즘 29기"]);
    expect(await names("ㅋ")).toEqual(["큐브 동아리", "큐시즘 29기"]);
    expect(await names("kakao tech")).toEqual(["Kakao Tech Campus"]);
    expect(await names("동아")).toEqual(["큐브 동아리"]);
    // LIKE wildcards in a query are plain characters.
    expect(await names("%")).toEqual(["100% 달성"]);
    expect(await names("_")).toEqual([]);
    expect(await names("네이버")).toEqual([]);

    const [found] = await client.activityTags.search.query({ query: "큐시" });
    expect(found).toMatchObject({ name: "큐시즘 29기", episodeCount: 1 });
  });

  it("needs a query of 1 to 50 characters", async () => {
    const { client } = await api.signIn("search-invalid@x.dev");
    for (const query of [" ", "ㅋ".repeat(51)]) {
      const error = await failure(client.activityTags.search.query({ query }));
      expect(errorCode(error)).toBe("BAD_REQUEST");
      expect(fieldIssues(error).map((issue) => issue.path)).toEqual(["query"]);
    }
    await expect(client.activityTags.search.query({ query: "ㅋ".repeat(50) })).resolves.toEqual([]);
  });
});
