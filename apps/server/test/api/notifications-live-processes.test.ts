import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createDayCaratClient, memoryTokenStore } from "@daycarat/client";
import { createTestDatabase, freePort, startProcess, startServerProcess, waitForStatus } from "@daycarat/testkit";
import { expectedEntries, startInboxWriter, subscribeToInbox } from "./live-kit.ts";

// Live subscriptions on real server processes sharing one database: each process listens
// on Postgres for itself, and the entries are written by this test process.

const SERVER_MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));

const { db, url: databaseUrl } = await createTestDatabase();
const write = await startInboxWriter(db, databaseUrl);
const servers = await Promise.all([
  startServerProcess(SERVER_MAIN, { DATABASE_URL: databaseUrl }),
  startServerProcess(SERVER_MAIN, { DATABASE_URL: databaseUrl }),
]);
afterAll(() => Promise.all(servers.map((server) => server.stop())));

/** A client of that server, signed in as the user of that email. */
async function signIn(url: string, email: string) {
  const client = createDayCaratClient({ url, tokens: memoryTokenStore() });
  const { user } = await client.auth.dev.mutate({ email });
  return { client, userId: user.id };
}

describe("notifications.onNew across server processes", () => {
  it("reaches the caller's subscriptions on every server, only theirs, in order; resumes on another server", async () => {
    const [first, second] = servers.map((server) => server.url) as [string, string];
    const alice = await signIn(first, "live-alice@daycarat.dev");
    const aliceElsewhere = await signIn(second, "live-alice@daycarat.dev");
    const bob = await signIn(second, "live-bob@daycarat.dev");
    const alicesFeeds = [subscribeToInbox(alice.client), subscribeToInbox(aliceElsewhere.client)];
    const bobsFeed = subscribeToInbox(bob.client);
    await Promise.all([...alicesFeeds, bobsFeed].map((live) => live.started));

    // Bob's entry is written between Alice's: were it sent to her, it would come before her last.
    const forAlice = await write(alice.userId, 2);
    const forBob = await write(bob.userId);
    forAlice.push(...(await write(alice.userId)));

    const expected = await expectedEntries(alice.client, db, forAlice);
    for (const live of alicesFeeds) expect(await live.receivedCount(3)).toEqual(expected);
    expect(await bobsFeed.receivedCount(1)).toEqual(await expectedEntries(bob.client, db, forBob));

    // Alice leaves the first server; what is written meanwhile awaits her on the second.
    const [onFirst] = alicesFeeds as [(typeof alicesFeeds)[number]];
    onFirst.stop();
    const missed = await write(alice.userId, 2);
    const resumed = subscribeToInbox(aliceElsewhere.client, onFirst.received.at(-1)?.id);
    expect(await resumed.receivedCount(2)).toEqual(await expectedEntries(alice.client, db, missed));
    expect(bobsFeed.received).toHaveLength(1);
  });

  it("stops cleanly on SIGTERM with a subscription open, telling the client to reconnect", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = startProcess(SERVER_MAIN, {
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      SHUTDOWN_TIMEOUT_MS: "5000",
      LOG_LEVEL: "info",
    });
    await waitForStatus(`${url}/readyz`, 200);
    const { client } = await signIn(url, "live-shutdown@daycarat.dev");
    const live = subscribeToInbox(client);
    await live.started;

    server.child.kill("SIGTERM");
    // Exit code 0: closed within SHUTDOWN_TIMEOUT_MS (past it, the process exits with 1).
    expect((await server.exited(10_000)).code).toBe(0);
    expect(live.reconnectReasons).toContain("SERVICE_UNAVAILABLE");
  });
});
