import { describe, expect, it } from "vitest";
import { errorCode, fieldIssues, type DayCaratClient, type RouterInputs } from "@daycarat/client";
import { expectDocumentedError } from "./error-shape.ts";
import { startTestApi } from "./test-server.ts";

// The REST API under /api/v1 against the typed tRPC client: the same procedures answer the same
// results, and fail with the same codes and messages, whichever way they are called.

const api = await startTestApi();

interface RestResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

interface RestError {
  code: string;
  message: string;
  issues?: { path: (string | number)[]; message: string }[];
  data: { code: string; httpStatus: number; issues?: { path: string; message: string }[] };
}

/** A REST call as a mobile app makes it: JSON in and out, the access token as a bearer. */
async function rest(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<RestResponse> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${api.url}/api/v1${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** A signed-in user, reachable both ways: the typed client and a bearer token for REST. */
async function signIn(email: string, nickname?: string): Promise<{ client: DayCaratClient; token: string; userId: string }> {
  const { client, tokens, userId } = await api.signIn(email, nickname);
  const token = (await tokens.get())?.accessToken ?? "";
  return { client, token, userId };
}

/** The error a call fails with (or its value, should it wrongly succeed). */
function failure(call: Promise<unknown>): Promise<unknown> {
  return call.catch((error: unknown) => error);
}

const episodeInput = (title: string, date: string): RouterInputs["episodes"]["create"] => ({
  title,
  date,
  activityTag: "큐시즘 29기",
  contents: [{ type: "FREE", content: `${title}: 팀원들과 밤새 API를 설계했다` }],
});

describe("REST and tRPC give the same results", () => {
  it("me.get: GET /me is the caller's profile", async () => {
    const { client, token } = await signIn("me@rest.dev", "레스트");
    const response = await rest("GET", "/me", { token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(await client.me.get.query());
    expect(response.body).toMatchObject({ email: "me@rest.dev", nickname: "레스트" });
  });

  it("episodes: created over REST, the same episode both ways, listed and paged with query parameters", async () => {
    const { client, token } = await signIn("episodes@rest.dev");
    const created = await rest("POST", "/episodes", { token, body: episodeInput("REST로 만든 에피소드", "2024-03-05") });
    expect(created.status).toBe(200);
    const { id } = created.body as { id: string };
    expect(await client.episodes.get.query({ id })).toEqual(created.body);
    expect((await rest("GET", `/episodes/${id}`, { token })).body).toEqual(created.body);

    await client.episodes.create.mutate(episodeInput("tRPC로 만든 에피소드", "2024-03-20"));
    await client.episodes.create.mutate(episodeInput("다른 달", "2024-04-01"));
    const firstPage = await client.episodes.list.query({ year: 2024, month: 3, limit: 1 });
    expect((await rest("GET", "/episodes?year=2024&month=3&limit=1", { token })).body).toEqual(firstPage);
    expect(firstPage.nextCursor).not.toBeNull();
    const cursor = encodeURIComponent(firstPage.nextCursor ?? "");
    const secondPage = (await rest("GET", `/episodes?year=2024&month=3&limit=1&cursor=${cursor}`, { token })).body;
    expect(secondPage).toEqual(await client.episodes.list.query({ year: 2024, month: 3, limit: 1, cursor: firstPage.nextCursor ?? "" }));
    expect(secondPage).toMatchObject({ items: [{ id }], nextCursor: null });
  });

  it("episodes: changed with PATCH and removed with DELETE, as tRPC then sees them", async () => {
    const { client, token } = await signIn("changes@rest.dev");
    const { id } = await client.episodes.create.mutate(episodeInput("고치기 전", "2024-05-01"));
    const patched = await rest("PATCH", `/episodes/${id}`, { token, body: { title: "고친 뒤" } });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual(await client.episodes.get.query({ id }));
    expect(patched.body).toMatchObject({ title: "고친 뒤" });

    expect(await rest("DELETE", `/episodes/${id}`, { token })).toMatchObject({ status: 200, body: { deleted: true } });
    expect(errorCode(await failure(client.episodes.get.query({ id })))).toBe("NOT_FOUND");
  });

  it("stats.counts: GET /stats/counts", async () => {
    const { client, token } = await signIn("stats@rest.dev");
    await client.episodes.create.mutate(episodeInput("통계", "2024-06-01"));
    const response = await rest("GET", "/stats/counts", { token });
    expect(response.body).toEqual(await client.stats.counts.query());
    expect(response.body).toMatchObject({ total: 1 });
  });

  it("notifications: the unread count, the inbox with unreadOnly=true and =false, and marking all read without a body", async () => {
    const { client, token, userId } = await signIn("inbox@rest.dev");
    const entry = (n: number) => ({
      userId,
      type: "NOTICE" as const,
      category: "NOTICE" as const,
      title: `공지 ${n}`,
      body: "본문",
      dedupeKey: `rest-${n}`,
    });
    await api.db.notification.createMany({ data: [entry(1), entry(2), { ...entry(3), readAt: new Date() }] });

    expect((await rest("GET", "/notifications/unread-count", { token })).body).toEqual({ count: 2 });
    expect(await client.notifications.unreadCount.query()).toEqual({ count: 2 });
    for (const unreadOnly of [true, false]) {
      const page = (await rest("GET", `/notifications?unreadOnly=${unreadOnly}`, { token })).body;
      expect(page).toEqual(await client.notifications.list.query({ unreadOnly }));
      expect((page as { items: unknown[] }).items).toHaveLength(unreadOnly ? 2 : 3);
    }

    // As Swagger UI sends it: no body, no content type.
    const marked = await fetch(`${api.url}/api/v1/notifications/mark-all-read`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(marked.status).toBe(200);
    expect(await marked.json()).toEqual({ updated: 2 });
    expect(await client.notifications.unreadCount.query()).toEqual({ count: 0 });
  });
});

describe("REST and tRPC fail alike", () => {
  it("another user's episode is NOT_FOUND (404), with the same message", async () => {
    const owner = await signIn("owner@rest.dev");
    const other = await signIn("other@rest.dev");
    const { id } = await owner.client.episodes.create.mutate(episodeInput("남의 것", "2024-07-01"));

    const viaTrpc = await failure(other.client.episodes.get.query({ id }));
    const viaRest = await rest("GET", `/episodes/${id}`, { token: other.token });
    expect(viaRest.status).toBe(404);
    expect(viaRest.body).toMatchObject({ code: "NOT_FOUND", message: (viaTrpc as Error).message, data: { code: "NOT_FOUND" } });
    expect(errorCode(viaTrpc)).toBe("NOT_FOUND");
    expect(JSON.stringify(viaRest.body)).not.toContain("stack");
  });

  it("invalid input is BAD_REQUEST (400), naming each offending field as tRPC does", async () => {
    const { client, token } = await signIn("invalid@rest.dev");
    const input = { ...episodeInput("", "2024-02-30"), contents: [] };

    const viaTrpc = await failure(client.episodes.create.mutate(input));
    const viaRest = await rest("POST", "/episodes", { token, body: input });
    expect(viaRest.status).toBe(400);
    const body = viaRest.body as RestError;
    expect(body.code).toBe("BAD_REQUEST");
    expect(body.data.issues).toEqual(fieldIssues(viaTrpc));
    expect(body.data.issues?.map((issue) => issue.path).sort()).toEqual(["contents", "date", "title"]);
    expect(body.issues?.map((issue) => issue.path.join(".")).sort()).toEqual(["contents", "date", "title"]);

    // Query parameters are checked alike: a month needs a year.
    const listed = await rest("GET", "/episodes?month=3", { token });
    expect(listed.status).toBe(400);
    expect((listed.body as RestError).data.issues).toEqual(fieldIssues(await failure(client.episodes.list.query({ month: 3 }))));
  });

  it("values of the wrong type are refused, in bodies and queries, and tRPC stays as strict after REST calls", async () => {
    const { client, token } = await signIn("types@rest.dev");
    expect((await rest("PATCH", "/preferences", { token, body: { aiResults: false } })).body).toMatchObject({ aiResults: false });

    const stringly = await rest("PATCH", "/preferences", { token, body: { aiResults: "true" } });
    expect(stringly.status).toBe(400);
    expect((stringly.body as RestError).data.issues?.map((issue) => issue.path)).toEqual(["aiResults"]);
    const viaTrpc = await failure(client.preferences.update.mutate({ aiResults: "true" } as unknown as { aiResults: boolean }));
    expect(fieldIssues(viaTrpc).map((issue) => issue.path)).toEqual(["aiResults"]);
    expect((await client.preferences.get.query()).aiResults).toBe(false);

    const notANumber = await rest("GET", "/episodes?limit=many", { token });
    expect(notANumber.status).toBe(400);
    expect((notANumber.body as RestError).data.issues?.map((issue) => issue.path)).toEqual(["limit"]);
  });

  it("query parameters are judged by the same schema as tRPC input: zero is a value, and numbers are written as in JSON", async () => {
    const { client, token } = await signIn("query-values@rest.dev");
    const cases: [string, RouterInputs["episodes"]["list"]][] = [
      ["month=0&year=2024", { month: 0, year: 2024 }],
      ["limit=0", { limit: 0 }],
      ["limit=51", { limit: 51 }],
      ["year=0", { year: 0 }],
    ];
    for (const [query, input] of cases) {
      const viaRest = await rest("GET", `/episodes?${query}`, { token });
      expect(viaRest.status, query).toBe(400);
      expect((viaRest.body as RestError).data.issues, query).toEqual(fieldIssues(await failure(client.episodes.list.query(input))));
    }
    for (const notANumber of ["0x10", "1_0", " 5", "5abc", "Infinity", ""]) {
      const viaRest = await rest("GET", `/episodes?limit=${encodeURIComponent(notANumber)}`, { token });
      expect(viaRest.status, notANumber).toBe(400);
      expect(
        (viaRest.body as RestError).data.issues?.map((issue) => issue.path),
        notANumber,
      ).toEqual(["limit"]);
    }
    expect((await rest("GET", "/episodes?limit=1e1", { token })).status).toBe(200);
  });

  it("no token, or a bad one, is UNAUTHORIZED (401), with the same message", async () => {
    const viaTrpc = await failure(api.anonymous().me.get.query());
    const viaRest = await rest("GET", "/me");
    expect(viaRest.status).toBe(401);
    expect(viaRest.body).toMatchObject({ code: "UNAUTHORIZED", message: (viaTrpc as Error).message });

    expect(await rest("GET", "/me", { token: "not-a-token" })).toMatchObject({ status: 401, body: { code: "UNAUTHORIZED" } });
  });

  it("an unexpected failure is INTERNAL_SERVER_ERROR (500) without details, logged with the request id, procedure and user", async () => {
    const { token, userId } = await signIn("broken@rest.dev");
    await api.db.$executeRawUnsafe(`ALTER TABLE activity_tags RENAME TO activity_tags_gone`);
    const response = await rest("GET", "/activity-tags", { token }).finally(() =>
      api.db.$executeRawUnsafe(`ALTER TABLE activity_tags_gone RENAME TO activity_tags`),
    );
    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({ code: "INTERNAL_SERVER_ERROR", message: "Internal server error" });
    expect(JSON.stringify(response.body)).not.toContain("activity_tags");

    const requestId = response.headers.get("x-request-id");
    const failureLine = api.logs.lines().find((line) => line.reqId === requestId && line.msg === "procedure failed");
    expect(failureLine).toMatchObject({ level: 50, path: "activityTags.list", userId });
  });

  it("JSON nested 5,000 levels deep is BAD_REQUEST (400) on both, logged alike as a refusal, not an error", async () => {
    const deep = "[".repeat(5_000) + "]".repeat(5_000);
    const deepInString = JSON.stringify({ email: "a@x.dev", nickname: "[".repeat(5_000) });
    const send = (path: string, body: string) =>
      fetch(`${api.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });

    const answers = [await send("/api/v1/auth/dev", deep), await send("/trpc/auth.dev", deep)];
    for (const response of answers) {
      expect(response.status, response.url).toBe(400);
      expect(await expectDocumentedError(response)).toMatchObject({ code: "BAD_REQUEST" });
    }
    const logged = answers.map((response) =>
      api.logs
        .lines()
        .filter((line) => line.reqId === response.headers.get("x-request-id"))
        .map(({ level, msg }) => ({ level, msg })),
    );
    expect(logged[0]).toEqual([
      { level: 30, msg: "incoming request" },
      { level: 30, msg: "request refused" },
      { level: 30, msg: "request completed" },
    ]);
    expect(logged[1]).toEqual(logged[0]);

    // Brackets inside a string are text, not nesting.
    expect((await send("/api/v1/auth/dev", deepInString)).status).toBe(400);
    expect(await (await send("/api/v1/auth/dev", deepInString)).json()).toMatchObject({ data: { issues: [{ path: "nickname" }] } });
  });

  it("a body over the limit is refused with 413, as on /trpc", async () => {
    const { token } = await signIn("large@rest.dev");
    const response = await rest("POST", "/episodes", { token, body: episodeInput("가".repeat(1_100_000), "2024-01-01") });
    expect(response.status).toBe(413);
  });
});
