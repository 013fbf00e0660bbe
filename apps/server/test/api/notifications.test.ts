import { describe, expect, it } from "vitest";
import { errorCode, fieldIssues } from "@daycarat/client";
import { expectFieldRefused } from "@daycarat/testkit";
import { startTestApi } from "../test-server.ts";

const api = await startTestApi();

let sequence = 0;

/** One notification for the user, straight in the database, `minutesAgo` old. */
function notify(userId: string, { minutesAgo = 0, read = false, title = "분석이 끝났어요 💎", data = {} } = {}) {
  const createdAt = new Date(Date.UTC(2026, 10, 20, 12, 0) - minutesAgo * 60_000);
  return api.db.notification.create({
    data: {
      userId,
      type: "ANALYSIS_SUCCEEDED",
      category: "AI_RESULT",
      title,
      body: "보석을 확인해 보세요",
      data,
      dedupeKey: `test-${++sequence}`,
      createdAt,
      readAt: read ? createdAt : null,
    },
  });
}

describe("notifications.list", () => {
  it("returns the caller's notifications newest first, with Korean text and link data intact", async () => {
    const { client, userId } = await api.signIn("inbox@daycarat.dev");
    const other = await api.signIn("inbox-other@daycarat.dev");
    const episodeId = "0193a6b2-7c1e-7000-8000-000000000001";
    const older = await notify(userId, { minutesAgo: 10, read: true, title: "지난주 경험을 기록해 보세요" });
    const newer = await notify(userId, { minutesAgo: 1, data: { episodeId } });
    await notify(other.userId);

    expect(await client.notifications.list.query()).toEqual({
      items: [
        {
          id: newer.id,
          type: "ANALYSIS_SUCCEEDED",
          category: "AI_RESULT",
          title: "분석이 끝났어요 💎",
          body: "보석을 확인해 보세요",
          data: { episodeId },
          readAt: null,
          createdAt: "2026-11-20T11:59:00.000Z",
        },
        {
          id: older.id,
          type: "ANALYSIS_SUCCEEDED",
          category: "AI_RESULT",
          title: "지난주 경험을 기록해 보세요",
          body: "보석을 확인해 보세요",
          data: {},
          readAt: "2026-11-20T11:50:00.000Z",
          createdAt: "2026-11-20T11:50:00.000Z",
        },
      ],
      nextCursor: null,
    });
  });

  it("pages without duplicates or gaps while new notifications arrive, ties broken by id", async () => {
    const { client, userId } = await api.signIn("paging@daycarat.dev");
    const ids: string[] = [];
    // Pairs share a createdAt, so the id must order them.
    for (let index = 0; index < 7; index++) ids.push((await notify(userId, { minutesAgo: 10 + Math.floor(index / 2) })).id);

    const first = await client.notifications.list.query({ limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).toEqual(expect.any(String));
    await notify(userId, { minutesAgo: 0 });
    const second = await client.notifications.list.query({ limit: 3, cursor: first.nextCursor ?? "" });
    const third = await client.notifications.list.query({ limit: 3, cursor: second.nextCursor ?? "" });
    expect(third.nextCursor).toBeNull();

    const seen = [...first.items, ...second.items, ...third.items];
    const expected = await api.db.notification.findMany({
      where: { id: { in: ids } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true },
    });
    expect(seen.map((item) => item.id)).toEqual(expected.map((row) => row.id));
  });

  it("lists only unread ones when asked", async () => {
    const { client, userId } = await api.signIn("unread-only@daycarat.dev");
    const unread = await notify(userId, { minutesAgo: 5 });
    await notify(userId, { minutesAgo: 3, read: true });
    const page = await client.notifications.list.query({ unreadOnly: true });
    expect(page.items.map((item) => item.id)).toEqual([unread.id]);
    expect(page.nextCursor).toBeNull();
  });

  it("rejects a malformed cursor and a bad limit by field", async () => {
    const { client } = await api.signIn("bad-cursor@daycarat.dev");
    const attempts: [Parameters<typeof client.notifications.list.query>[0], string][] = [
      [{ cursor: "not-a-cursor" }, "cursor"],
      [{ cursor: Buffer.from("2026-11-20T12:00:00.000Z nope").toString("base64url") }, "cursor"],
      [{ limit: 0 }, "limit"],
      [{ limit: 51 }, "limit"],
    ];
    for (const [input, field] of attempts) {
      await expectFieldRefused(client.notifications.list.query(input), field);
    }
  });

  it("needs a signed-in user", async () => {
    const error = await api
      .anonymous()
      .notifications.list.query()
      .catch((caught: unknown) => caught);
    expect(errorCode(error)).toBe("UNAUTHORIZED");
  });
});

describe("notifications.unreadCount", () => {
  it("counts the caller's unread notifications only", async () => {
    const { client, userId } = await api.signIn("count@daycarat.dev");
    const other = await api.signIn("count-other@daycarat.dev");
    expect(await client.notifications.unreadCount.query()).toEqual({ count: 0 });
    await notify(userId);
    await notify(userId);
    await notify(userId, { read: true });
    await notify(other.userId);
    expect(await client.notifications.unreadCount.query()).toEqual({ count: 2 });
  });
});

describe("notifications.markRead", () => {
  it("marks the caller's unread ones and keeps the first read time of read ones", async () => {
    const { client, userId } = await api.signIn("mark@daycarat.dev");
    const [first, second, untouched] = [await notify(userId), await notify(userId), await notify(userId)];
    const alreadyRead = await notify(userId, { read: true });

    expect(await client.notifications.markRead.mutate({ ids: [first.id, second.id, alreadyRead.id] })).toEqual({ updated: 2 });
    const rows = await api.db.notification.findMany({ where: { userId }, select: { id: true, readAt: true } });
    const readAt = new Map(rows.map((row) => [row.id, row.readAt]));
    expect(readAt.get(first.id)).toBeInstanceOf(Date);
    expect(readAt.get(second.id)).toBeInstanceOf(Date);
    expect(readAt.get(untouched.id)).toBeNull();
    expect(readAt.get(alreadyRead.id)).toEqual(alreadyRead.readAt);
    expect(await client.notifications.unreadCount.query()).toEqual({ count: 1 });
  });

  it("changes nothing for another user's notification", async () => {
    const { client } = await api.signIn("mark-thief@daycarat.dev");
    const victim = await api.signIn("mark-victim@daycarat.dev");
    const theirs = await notify(victim.userId);
    expect(await client.notifications.markRead.mutate({ ids: [theirs.id] })).toEqual({ updated: 0 });
    expect(await api.db.notification.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ readAt: null });
    expect(await victim.client.notifications.unreadCount.query()).toEqual({ count: 1 });
  });

  it("rejects bad ids by field", async () => {
    const { client } = await api.signIn("mark-invalid@daycarat.dev");
    const tooMany = Array.from({ length: 101 }, () => crypto.randomUUID());
    for (const ids of [[], ["not-a-uuid"], tooMany]) {
      const error = await client.notifications.markRead.mutate({ ids }).catch((caught: unknown) => caught);
      expect(errorCode(error)).toBe("BAD_REQUEST");
      expect(fieldIssues(error).map((issue) => issue.path.split(".")[0])).toContain("ids");
    }
  });
});

describe("notifications.markAllRead", () => {
  it("marks every unread notification of the caller and nobody else's", async () => {
    const { client, userId } = await api.signIn("mark-all@daycarat.dev");
    const other = await api.signIn("mark-all-other@daycarat.dev");
    await notify(userId);
    await notify(userId);
    await notify(userId, { read: true });
    await notify(other.userId);

    expect(await client.notifications.markAllRead.mutate()).toEqual({ updated: 2 });
    expect(await client.notifications.unreadCount.query()).toEqual({ count: 0 });
    expect(await client.notifications.markAllRead.mutate()).toEqual({ updated: 0 });
    expect(await other.client.notifications.unreadCount.query()).toEqual({ count: 1 });
  });
});
