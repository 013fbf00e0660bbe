import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { createDatabaseClient, ensureDatabase, migrateDatabase } from "@daycarat/db";
import { startEmbeddedPostgres } from "@daycarat/db/embedded";
import { captureLogs, freePort, waitForStatus } from "@daycarat/testkit";
import { expectDocumentedError } from "./error-shape.ts";
import { startTestServer } from "./test-server.ts";

// A Postgres of this file's own, so that stopping it disturbs no other test.
const dataDir = await mkdtemp(path.join(tmpdir(), "daycarat-outage-"));
const options = { dataDir, port: await freePort(), logger: captureLogs().logger };
let postgres = await startEmbeddedPostgres(options);
afterAll(async () => {
  await postgres.stop();
  await rm(dataDir, { recursive: true, force: true });
});
await ensureDatabase(postgres.url, "daycarat");
await migrateDatabase({ databaseUrl: postgres.urlFor("daycarat"), logger: options.logger });
const db = createDatabaseClient(postgres.urlFor("daycarat"), { maxConnections: 2 });
afterAll(() => db.$disconnect());
const server = await startTestServer(db, postgres.urlFor("daycarat"));

/** Polls until the captured log has a line with this message. */
async function logLine(msg: string) {
  for (;;) {
    const line = server.logs.lines().find((candidate) => candidate.msg === msg);
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it("while the database is down: 503 SERVICE_UNAVAILABLE with Retry-After on REST and tRPC, the outage logged once; then back to normal", async () => {
  const signIn = await fetch(`${server.url}/api/v1/auth/dev`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "outage@x.dev" }),
  });
  const { accessToken } = (await signIn.json()) as { accessToken: string };
  const authorization = `Bearer ${accessToken}`;
  const calls = () => [
    fetch(`${server.url}/api/v1/episodes`, { headers: { authorization } }),
    fetch(`${server.url}/trpc/episodes.list`, { headers: { authorization } }),
    fetch(`${server.url}/trpc/me.get,stats.counts?batch=1&input=%7B%7D`, { headers: { authorization } }),
    fetch(`${server.url}/api/v1/auth/dev`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "b@x.dev" }),
    }),
  ];

  await waitForStatus(`${server.url}/readyz`, 200);
  await postgres.stop();
  const down = await waitForStatus(`${server.url}/readyz`, 503);
  expect(await down.json()).toMatchObject({ status: "unavailable" });
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  // Sign-ins cannot be counted: they go through (to meet the outage), and that is logged once.
  for (let attempt = 0; attempt < 3; attempt++) {
    const signIn = await fetch(`${server.url}/api/v1/auth/dev`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"email":"outage@daycarat.dev"}',
    });
    expect(signIn.status).not.toBe(429);
  }
  expect(server.logs.lines().filter((line) => line.msg === "could not count a rate limit; requests go through")).toHaveLength(1);

  for (let round = 0; round < 3; round += 1) {
    for (const response of await Promise.all(calls())) {
      expect(response.status, response.url).toBe(503);
      expect(response.headers.get("retry-after"), response.url).toBe("5");
      expect(await expectDocumentedError(response), response.url).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    }
  }
  const requestErrors = server.logs.lines().filter((line) => Number(line.level) >= 50 && line.reqId !== undefined);
  expect(requestErrors.map((line) => line.msg)).toEqual(["database unavailable: answering 503 until it is back"]);

  postgres = await startEmbeddedPostgres(options);
  const back = await waitForStatus(`${server.url}/readyz`, 200);
  expect(await back.json()).toEqual({ status: "ready" });
  expect(await logLine("database available again")).toMatchObject({ level: 30 });
  expect((await fetch(`${server.url}/api/v1/episodes`, { headers: { authorization } })).status).toBe(200);
});
