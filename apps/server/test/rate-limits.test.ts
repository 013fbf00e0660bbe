import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createDayCaratClient, errorCode, memoryTokenStore } from "@daycarat/client";
import { createTestDatabase, startServerProcess } from "@daycarat/testkit";
import { startTestApi } from "./test-server.ts";

// The limits on abuse, set low through the environment: sign-ins per address counted across two
// real server processes on one database, writes and calls per user, the size of a tRPC batch;
// refusals are TOO_MANY_REQUESTS (429) with Retry-After in the documented shape, on tRPC and REST.

const SERVER_MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const SIGN_INS = 6;
const { db, url: databaseUrl } = await createTestDatabase();
// The test is the load balancer: the servers believe its X-Forwarded-For.
const limited = { DATABASE_URL: databaseUrl, RATE_LIMIT_SIGN_IN_PER_MINUTE: String(SIGN_INS), TRUST_PROXY: "127.0.0.1" };
const servers = await Promise.all([startServerProcess(SERVER_MAIN, limited), startServerProcess(SERVER_MAIN, limited)]);
afterAll(() => Promise.all(servers.map((server) => server.stop())));
const [first, second] = servers.map((server) => server.url) as [string, string];

const api = await startTestApi({ RATE_LIMIT_WRITES_PER_MINUTE: "3", RATE_LIMIT_CALLS_PER_MINUTE: "10", TRPC_MAX_BATCH_SIZE: "20" });

interface TrpcError {
  error: { message: string; code: number; data: { code: string; httpStatus: number; path?: string } };
}

const json = { "content-type": "application/json" };
const trpcSignIn = (url: string, email: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/trpc/auth.dev`, { method: "POST", headers: { ...json, ...headers }, body: JSON.stringify({ email }) });
const restSignIn = (url: string, email: string) =>
  fetch(`${url}/api/v1/auth/dev`, { method: "POST", headers: json, body: JSON.stringify({ email }) });

/** Retry-After as a number of seconds within the one-minute window. */
function retryAfter(response: Response): number {
  const seconds = Number(response.headers.get("retry-after"));
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(60);
  return seconds;
}

async function expectTrpcRefusal(response: Response, path: string): Promise<void> {
  expect(response.status).toBe(429);
  retryAfter(response);
  const body = (await response.json()) as TrpcError;
  expect(body.error).toMatchObject({ code: -32029, data: { code: "TOO_MANY_REQUESTS", httpStatus: 429, path } });
  expect(body.error.message).toMatch(/try again in \d+ s$/);
}

async function expectRestRefusal(response: Response): Promise<void> {
  expect(response.status).toBe(429);
  retryAfter(response);
  expect(await response.json()).toMatchObject({
    code: "TOO_MANY_REQUESTS",
    message: expect.stringMatching(/try again in \d+ s$/) as unknown,
    data: { code: "TOO_MANY_REQUESTS", httpStatus: 429 },
  });
}

describe("sign-ins and refreshes per client address", () => {
  it("are counted across server processes, over tRPC and REST alike, and refused beyond the limit", async () => {
    // Five sign-ins and a refresh, spread over both servers and both APIs: all within the limit.
    const session = (await (await trpcSignIn(first, "limit-1@daycarat.dev")).json()) as {
      result: { data: { accessToken: string; refreshToken: string } };
    };
    for (const [index, signIn] of [restSignIn, trpcSignIn, restSignIn, trpcSignIn].entries()) {
      const response = await signIn(index % 2 === 0 ? second : first, `limit-${index + 2}@daycarat.dev`);
      expect(response.status).toBe(200);
    }
    const refreshed = await fetch(`${second}/api/v1/auth/refresh`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ refreshToken: session.result.data.refreshToken }),
    });
    expect(refreshed.status).toBe(200);

    // The seventh, on either server and either API, is refused.
    await expectTrpcRefusal(await trpcSignIn(first, "limit-7@daycarat.dev"), "auth.dev");
    await expectRestRefusal(await restSignIn(second, "limit-7@daycarat.dev"));
    // However the path is spelled.
    await expectRestRefusal(
      await fetch(`${first}/api/v1/Auth/Dev/`, { method: "POST", headers: json, body: JSON.stringify({ email: "limit-7@daycarat.dev" }) }),
    );
    expect(await db.user.count({ where: { email: "limit-7@daycarat.dev" } })).toBe(0);
    const refresh = await fetch(`${first}/trpc/auth.refresh`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ refreshToken: "anything" }),
    });
    await expectTrpcRefusal(refresh, "auth.refresh");

    // Everything else goes on: the signed-in user's calls, health and readiness.
    const me = await fetch(`${second}/api/v1/me`, { headers: { authorization: `Bearer ${session.result.data.accessToken}` } });
    expect(me.status).toBe(200);
    for (const server of [first, second]) {
      expect((await fetch(`${server}/healthz`)).status).toBe(200);
      expect((await fetch(`${server}/readyz`)).status).toBe(200);
    }
  });
});

describe("sign-ins at once", () => {
  it("let exactly the limit through across both servers, counted per client address", async () => {
    const client = { "x-forwarded-for": "203.0.113.7" };
    const attempts = Array.from({ length: 16 }, (_, index) =>
      trpcSignIn(index % 2 === 0 ? first : second, `rush-${index}@daycarat.dev`, client),
    );
    const statuses = (await Promise.all(attempts)).map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(SIGN_INS);
    expect(statuses.filter((status) => status === 429)).toHaveLength(16 - SIGN_INS);
    // Another client, behind the same load balancer, signs in as usual.
    expect((await trpcSignIn(second, "rush-other@daycarat.dev", { "x-forwarded-for": "203.0.113.8" })).status).toBe(200);
  });

  it("count an IPv6 client by its /64, whichever of its addresses it signs in from", async () => {
    const statuses = [];
    for (let host = 1; host <= SIGN_INS + 1; host++) {
      const address = host % 2 === 0 ? `2001:db8:aa:bb::${host.toString(16)}` : `2001:0db8:00aa:00bb:0000:0000:0000:${host.toString(16)}`;
      statuses.push((await trpcSignIn(host % 2 === 0 ? first : second, `v6-${host}@daycarat.dev`, { "x-forwarded-for": address })).status);
    }
    expect(statuses).toEqual([...Array<number>(SIGN_INS).fill(200), 429]);
    expect((await trpcSignIn(first, "v6-other@daycarat.dev", { "x-forwarded-for": "2001:db8:aa:cc::1" })).status).toBe(200);
  });
});

const episode = (title: string) => ({
  title,
  date: "2024-05-01",
  activityTag: "큐시즘",
  contents: [{ type: "FREE" as const, content: "한도 시험" }],
});
const failure = (call: Promise<unknown>) =>
  call.then(
    () => "OK",
    (error: unknown) => errorCode(error),
  );

describe("writes and calls per user", () => {
  it("refuse a user's writes beyond the limit, then any call, leaving other users alone", async () => {
    const alice = await api.signIn("writes-alice@daycarat.dev");
    const bob = await api.signIn("writes-bob@daycarat.dev");
    const aliceToken = (await alice.tokens.get())?.accessToken ?? "";

    const writes = [];
    for (let call = 1; call <= 4; call++) writes.push(await failure(alice.client.episodes.create.mutate(episode(`쓰기 ${call}`))));
    expect(writes).toEqual(["OK", "OK", "OK", "TOO_MANY_REQUESTS"]);
    expect(await api.db.episode.count({ where: { userId: alice.userId } })).toBe(3);
    const overWrites = await fetch(`${api.url}/api/v1/episodes`, {
      method: "POST",
      headers: { ...json, authorization: `Bearer ${aliceToken}` },
      body: JSON.stringify(episode("REST")),
    });
    await expectRestRefusal(overWrites);
    // Five calls so far; reads go on to the call limit of ten, and Bob writes as he likes.
    expect(await failure(bob.client.episodes.create.mutate(episode("밥의 쓰기")))).toBe("OK");
    const reads = [];
    for (let call = 6; call <= 11; call++) reads.push(await failure(alice.client.me.get.query()));
    expect(reads).toEqual(["OK", "OK", "OK", "OK", "OK", "TOO_MANY_REQUESTS"]);
    expect(await failure(bob.client.me.get.query())).toBe("OK");
    // Each limit reached is logged once, not once per refusal.
    const reached = api.logs.lines().filter((line) => line.msg === "rate limit reached" && String(line.key).endsWith(alice.userId));
    expect(reached.map((line) => line.limit)).toEqual(["writes", "calls"]);
  });

  it("count every call of a batch", async () => {
    const carol = await api.signIn("batch-carol@daycarat.dev");
    const token = (await carol.tokens.get())?.accessToken ?? "";
    const batch = (size: number) =>
      fetch(`${api.url}/trpc/${Array(size).fill("me.get").join(",")}?batch=1`, { headers: { authorization: `Bearer ${token}` } });
    expect((await batch(8)).status).toBe(200);
    const refused = await batch(3);
    expect(refused.status).toBe(429);
    retryAfter(refused);
    const body = (await refused.json()) as TrpcError[];
    expect(body).toHaveLength(3);
    for (const [index, answer] of body.entries())
      expect(answer.error.data, `call ${index}`).toMatchObject({ code: "TOO_MANY_REQUESTS", httpStatus: 429, path: "me.get" });
  });
});

describe("signed-out calls", () => {
  it("count per client address, while health, readiness, the documentation and Slack are not limited", async () => {
    // Three sign-ins above came from this address; seven more calls reach the limit of ten.
    const calls = [];
    for (let call = 4; call <= 11; call++) calls.push((await fetch(`${api.url}/api/v1/me`)).status);
    expect(calls).toEqual([401, 401, 401, 401, 401, 401, 401, 429]);
    await expectTrpcRefusal(await trpcSignIn(api.url, "signed-out@daycarat.dev"), "auth.dev");
    for (const path of ["/healthz", "/readyz", "/openapi.json", "/docs/"])
      expect((await fetch(`${api.url}${path}`)).status, path).toBe(200);
    // Slack's endpoints answer as they always do (here: not configured).
    const slack = await fetch(`${api.url}/slack/commands`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "text=list",
    });
    expect(slack.status).toBe(503);
  });
});

describe("tRPC batches", () => {
  it("carry at most TRPC_MAX_BATCH_SIZE calls: more is BAD_REQUEST (400), in the documented shape", async () => {
    const batch = (size: number) => fetch(`${first}/trpc/${Array(size).fill("me.get").join(",")}?batch=1`);
    // Twenty calls are run (each refused alone: no token).
    const twenty = await batch(20);
    expect(((await twenty.json()) as TrpcError[]).map((answer) => answer.error.data.code)).toEqual(Array(20).fill("UNAUTHORIZED"));
    const tooMany = await batch(21);
    expect(tooMany.status).toBe(400);
    const body = (await tooMany.json()) as TrpcError | TrpcError[];
    const answers = Array.isArray(body) ? body : [body];
    for (const answer of answers)
      expect(answer.error).toMatchObject({ message: "Batch call exceeds maximum size", data: { code: "BAD_REQUEST", httpStatus: 400 } });
  });

  it("are what the typed client sends, however many calls it makes at once", async () => {
    const client = createDayCaratClient({
      url: first,
      tokens: memoryTokenStore(),
      // A client address of its own: this file's sign-ins from the test's address are used up.
      fetch: (input, init) =>
        fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), "x-forwarded-for": "198.51.100.1" } }),
    });
    await client.auth.dev.mutate({ email: "many-at-once@daycarat.dev" });
    const profiles = await Promise.all(Array.from({ length: 45 }, () => client.me.get.query()));
    expect(new Set(profiles.map((profile) => profile.email))).toEqual(new Set(["many-at-once@daycarat.dev"]));
  });
});
