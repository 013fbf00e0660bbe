import { describe, expect, it } from "vitest";
import { errorCode, fieldIssues, type RouterInputs } from "@daycarat/client";
import type { NoticeStatus } from "@daycarat/db";
import { publishNoticeJob } from "@daycarat/jobs";
import { findJobs } from "@daycarat/jobs/testing";
import { startTestApi, type SignedInUser } from "../test-server.ts";

// No worker runs here: notices created through the API stay SCHEDULED, and published ones are
// written straight to the database. Publishing itself is tested in apps/worker/test/notices.test.ts.

const api = await startTestApi();

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** The error a call fails with (or its value, should it wrongly succeed). */
function failure(call: Promise<unknown>): Promise<unknown> {
  return call.catch((error: unknown) => error);
}

/** A user made an admin; the role travels in the access token, so they sign in again. */
let sequence = 0;

/** A notice in any status, straight in the database; a SENT one was sent `minutesAgo` before a fixed instant. */
function notice(status: NoticeStatus, { minutesAgo = 0 } = {}) {
  const sentAt = status === "SENT" ? new Date(Date.UTC(2026, 10, 20, 12, 0) - minutesAgo * MINUTE_MS) : null;
  return api.db.notice.create({ data: { title: `공지 ${++sequence}`, body: "서비스 점검 안내입니다.", status, sentAt } });
}

/** The publish jobs of a notice. */
const publishJobsOf = (noticeId: string) => findJobs(api.db, publishNoticeJob, { data: { noticeId } });

/** The items of the user's notice list from `cursor` (or the start) to the end, following nextCursor. */
async function allPages(client: SignedInUser["client"], limit: number, cursor?: string) {
  const items = [];
  let page = await client.notices.list.query({ limit, cursor });
  items.push(...page.items);
  while (page.nextCursor) {
    page = await client.notices.list.query({ limit, cursor: page.nextCursor });
    items.push(...page.items);
  }
  return items;
}

const newestSentFirst = () =>
  api.db.notice.findMany({ where: { status: "SENT" }, orderBy: [{ sentAt: "desc" }, { id: "desc" }], select: { id: true } });

describe("admin procedures", () => {
  it("are FORBIDDEN to users who are not admins, and change nothing", async () => {
    const { client } = await api.signIn("not-admin@daycarat.dev");
    const scheduled = await notice("SCHEDULED");
    const calls: [string, () => Promise<unknown>][] = [
      ["create", () => client.notices.create.mutate({ title: "몰래 쓴 공지", body: "본문", push: true })],
      ["cancel", () => client.notices.cancel.mutate({ id: scheduled.id })],
      ["delete", () => client.notices.delete.mutate({ id: scheduled.id })],
      ["listAll", () => client.notices.listAll.query()],
    ];
    for (const [name, call] of calls) expect(errorCode(await failure(call())), name).toBe("FORBIDDEN");
    expect(await api.db.notice.findUnique({ where: { id: scheduled.id } })).toMatchObject({ status: "SCHEDULED" });
    expect(await api.db.notice.count({ where: { title: "몰래 쓴 공지" } })).toBe(0);
  });

  it("need a signed-in user, as do the users' procedures", async () => {
    const anonymous = api.anonymous();
    expect(errorCode(await failure(anonymous.notices.create.mutate({ title: "공지", body: "본문", push: false })))).toBe("UNAUTHORIZED");
    expect(errorCode(await failure(anonymous.notices.list.query()))).toBe("UNAUTHORIZED");
  });
});

describe("notices.create", () => {
  it("writes a SCHEDULED notice by the admin, trimmed, and its publish job for the scheduled time", async () => {
    const { client, userId } = await api.signInAdmin("create@daycarat.dev");
    const scheduledAt = new Date(Date.now() + DAY_MS);
    const created = await client.notices.create.mutate({
      title: "  12월 정기 점검 안내 🔧  ",
      body: "\n12월 3일 02:00–04:00에 서비스를 점검합니다.\n",
      push: true,
      scheduledAt: scheduledAt.toISOString(),
    });
    expect(created).toMatchObject({
      title: "12월 정기 점검 안내 🔧",
      body: "12월 3일 02:00–04:00에 서비스를 점검합니다.",
      push: true,
      source: "API",
      authorId: userId,
      authorSlackUserId: null,
      status: "SCHEDULED",
      scheduledAt: scheduledAt.toISOString(),
      sentAt: null,
      pushTransport: null,
    });

    const jobs = await publishJobsOf(created.id);
    expect(jobs.map((job) => job.startAfter.toISOString())).toEqual([scheduledAt.toISOString()]);
  });

  it("publishes at once without scheduledAt: its job may start now; push defaults to on", async () => {
    const { client } = await api.signInAdmin("create-now@daycarat.dev");
    const before = Date.now();
    const created = await client.notices.create.mutate({ title: "지금 공지", body: "바로 나가는 공지" });
    expect(created).toMatchObject({ status: "SCHEDULED", scheduledAt: null, push: true });
    const [job] = await publishJobsOf(created.id);
    expect(job?.startAfter.getTime()).toBeLessThanOrEqual(Date.now());
    expect(job?.startAfter.getTime()).toBeGreaterThanOrEqual(before - 1_000);
  });

  it("rejects bad input by field name and writes nothing", async () => {
    const { client } = await api.signInAdmin("create-invalid@daycarat.dev");
    const valid: RouterInputs["notices"]["create"] = { title: "공지", body: "본문", push: true };
    const attempts: [Partial<RouterInputs["notices"]["create"]>, string][] = [
      [{ title: "   " }, "title"],
      [{ title: "가".repeat(101) }, "title"],
      [{ body: "" }, "body"],
      [{ body: "가".repeat(5_001) }, "body"],
      [{ scheduledAt: "next monday" }, "scheduledAt"],
      [{ scheduledAt: new Date(Date.now() - 5 * MINUTE_MS).toISOString() }, "scheduledAt"],
      [{ scheduledAt: new Date(Date.now() + 91 * DAY_MS).toISOString() }, "scheduledAt"],
    ];
    const count = await api.db.notice.count();
    for (const [change, field] of attempts) {
      const error = await failure(client.notices.create.mutate({ ...valid, ...change }));
      expect(errorCode(error), field).toBe("BAD_REQUEST");
      expect(
        fieldIssues(error).map((issue) => issue.path),
        field,
      ).toEqual([field]);
    }
    expect(await api.db.notice.count()).toBe(count);
  });

  it("accepts the limits themselves: 100 characters of title (emoji count once), 5,000 of body, 89 days ahead", async () => {
    const { client } = await api.signInAdmin("create-limits@daycarat.dev");
    const created = await client.notices.create.mutate({
      title: "💎".repeat(100),
      body: "가".repeat(5_000),
      push: false,
      scheduledAt: new Date(Date.now() + 89 * DAY_MS).toISOString(),
    });
    expect(created.title).toBe("💎".repeat(100));
    expect(created.push).toBe(false);
  });
});

describe("notices.list and notices.get", () => {
  it("show users SENT notices only, newest first; any other status is NOT_FOUND", async () => {
    const { client } = await api.signIn("reader@daycarat.dev");
    const older = await notice("SENT", { minutesAgo: 30 });
    const newer = await notice("SENT", { minutesAgo: 1 });
    const hidden = await Promise.all((["SCHEDULED", "SENDING", "CANCELED", "FAILED"] as const).map((status) => notice(status)));

    const { items } = await client.notices.list.query({ limit: 50 });
    const listedIds = items.map((item) => item.id);
    expect(listedIds.indexOf(newer.id)).toBeLessThan(listedIds.indexOf(older.id));
    expect(listedIds).toEqual((await newestSentFirst()).map((row) => row.id));
    for (const unpublished of hidden) expect(listedIds).not.toContain(unpublished.id);
    expect(items.find((item) => item.id === newer.id)).toEqual({
      id: newer.id,
      title: newer.title,
      body: "서비스 점검 안내입니다.",
      sentAt: "2026-11-20T11:59:00.000Z",
    });

    expect(await client.notices.get.query({ id: older.id })).toEqual({
      id: older.id,
      title: older.title,
      body: "서비스 점검 안내입니다.",
      sentAt: "2026-11-20T11:30:00.000Z",
    });
    for (const unpublished of hidden) {
      expect(errorCode(await failure(client.notices.get.query({ id: unpublished.id }))), unpublished.status).toBe("NOT_FOUND");
    }
    expect(errorCode(await failure(client.notices.get.query({ id: "0193a6b2-7c1e-7000-8000-00000000dead" })))).toBe("NOT_FOUND");
  });

  it("pages without duplicates or gaps while new notices are published, ties broken by id", async () => {
    const { client } = await api.signIn("pager@daycarat.dev");
    // Pairs share a sentAt, so the id must order them.
    for (let index = 0; index < 7; index++) await notice("SENT", { minutesAgo: 100 + Math.floor(index / 2) });
    const before = (await newestSentFirst()).map((row) => row.id);

    const first = await client.notices.list.query({ limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).toEqual(expect.any(String));
    // Published between two pages: it sorts before the cursor, so the next pages neither show it nor shift.
    const published = await notice("SENT", { minutesAgo: 0 });
    const later = await allPages(client, 3, first.nextCursor ?? undefined);
    expect([...first.items, ...later].map((item) => item.id)).toEqual(before);
    expect((await allPages(client, 3)).map((item) => item.id)).toEqual([published.id, ...before]);
  });

  it("rejects a malformed cursor and a bad limit by field", async () => {
    const { client } = await api.signIn("bad-cursor@daycarat.dev");
    const attempts: [RouterInputs["notices"]["list"], string][] = [
      [{ cursor: "not-a-cursor" }, "cursor"],
      [{ limit: 0 }, "limit"],
      [{ limit: 51 }, "limit"],
    ];
    for (const [input, field] of attempts) {
      const error = await failure(client.notices.list.query(input));
      expect(errorCode(error), field).toBe("BAD_REQUEST");
      expect(
        fieldIssues(error).map((issue) => issue.path),
        field,
      ).toEqual([field]);
    }
  });
});

describe("notices.cancel", () => {
  it("cancels a scheduled notice and its job, and users never see it; a second cancel is a CONFLICT", async () => {
    const admin = await api.signInAdmin("cancel@daycarat.dev");
    const created = await admin.client.notices.create.mutate({
      title: "취소될 공지",
      body: "본문",
      push: true,
      scheduledAt: new Date(Date.now() + DAY_MS).toISOString(),
    });
    const canceled = await admin.client.notices.cancel.mutate({ id: created.id });
    expect(canceled).toMatchObject({ id: created.id, status: "CANCELED" });
    expect(canceled.canceledAt).not.toBeNull();
    expect((await publishJobsOf(created.id)).map((job) => job.state)).toEqual(["cancelled"]);
    expect(errorCode(await failure(admin.client.notices.cancel.mutate({ id: created.id })))).toBe("CONFLICT");
    expect(errorCode(await failure(admin.client.notices.get.query({ id: created.id })))).toBe("NOT_FOUND");
  });

  it("is a CONFLICT once a notice is being sent or was sent, and NOT_FOUND for an unknown id", async () => {
    const { client } = await api.signInAdmin("cancel-late@daycarat.dev");
    for (const status of ["SENDING", "SENT", "FAILED"] as const) {
      const late = await notice(status);
      expect(errorCode(await failure(client.notices.cancel.mutate({ id: late.id }))), status).toBe("CONFLICT");
      expect(await api.db.notice.findUnique({ where: { id: late.id } }), status).toMatchObject({ status, canceledAt: null });
    }
    expect(errorCode(await failure(client.notices.cancel.mutate({ id: "0193a6b2-7c1e-7000-8000-00000000dead" })))).toBe("NOT_FOUND");
  });
});

describe("notices.delete", () => {
  it("deletes a notice in any status, after which users and admins no longer find it", async () => {
    const admin = await api.signInAdmin("delete@daycarat.dev");
    const reader = await api.signIn("delete-reader@daycarat.dev");
    const sent = await notice("SENT");
    const scheduled = await notice("SCHEDULED");
    for (const target of [sent, scheduled]) {
      expect(await admin.client.notices.delete.mutate({ id: target.id })).toEqual({ deleted: true });
      expect(errorCode(await failure(admin.client.notices.delete.mutate({ id: target.id })))).toBe("NOT_FOUND");
    }
    expect(errorCode(await failure(reader.client.notices.get.query({ id: sent.id })))).toBe("NOT_FOUND");
    const { items } = await admin.client.notices.listAll.query({ limit: 50 });
    expect(items.map((item) => item.id)).not.toContain(scheduled.id);
  });

  it("cancels the job of a scheduled notice it deletes", async () => {
    const admin = await api.signInAdmin("delete-job@daycarat.dev");
    const created = await admin.client.notices.create.mutate({
      title: "삭제될 예약",
      body: "본문",
      scheduledAt: new Date(Date.now() + DAY_MS).toISOString(),
    });
    expect((await publishJobsOf(created.id)).map((job) => job.state)).toEqual(["created"]);
    await admin.client.notices.delete.mutate({ id: created.id });
    expect((await publishJobsOf(created.id)).map((job) => job.state)).toEqual(["cancelled"]);
  });
});

describe("notices.listAll", () => {
  it("lists every status for admins, newest written first, filtered by status and paged", async () => {
    const { client } = await api.signInAdmin("list-all@daycarat.dev");
    const written = [];
    for (const status of ["SCHEDULED", "SENT", "CANCELED", "SCHEDULED", "FAILED"] as const) written.push(await notice(status));

    const everything = [];
    let page = await client.notices.listAll.query({ limit: 2 });
    everything.push(...page.items);
    while (page.nextCursor) {
      page = await client.notices.listAll.query({ limit: 2, cursor: page.nextCursor });
      everything.push(...page.items);
    }
    const expected = await api.db.notice.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true, status: true } });
    expect(everything.map((item) => [item.id, item.status])).toEqual(expected.map((row) => [row.id, row.status]));
    for (const row of written) expect(everything.map((item) => item.id)).toContain(row.id);

    const scheduled = await client.notices.listAll.query({ status: "SCHEDULED", limit: 50 });
    expect(scheduled.items.every((item) => item.status === "SCHEDULED")).toBe(true);
    expect(scheduled.items.map((item) => item.id)).toEqual(
      expect.arrayContaining(written.filter((row) => row.status === "SCHEDULED").map((row) => row.id)),
    );
  });
});
