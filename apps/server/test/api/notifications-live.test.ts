import type pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { errorCode, fieldIssues } from "@daycarat/client";
import { listenerApplicationName, withConnection } from "@daycarat/db";
import { NOTIFICATION_CHANNEL } from "@daycarat/domain";
import { expiredAccessToken, startTestApi } from "../test-server.ts";
import { expectedEntries, startInboxWriter, subscribeToInbox } from "./live-kit.ts";

const api = await startTestApi();
// Entries come from the test process: the server hears of them only through Postgres.
const write = await startInboxWriter(api.db, api.databaseUrl);

const database = new URL(api.databaseUrl).pathname.slice(1);

/** Lets new connections into the test's database, or keeps them out (open ones stay). */
async function allowConnections(admin: pg.Client, allowed: boolean): Promise<void> {
  await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(database)} ALLOW_CONNECTIONS ${allowed}`);
}

describe("notifications.onNew", () => {
  it("sends no backlog to a fresh subscription, only the entries written after it started", async () => {
    const { client, userId } = await api.signIn("live-fresh@daycarat.dev");
    await write(userId, 2);
    const live = subscribeToInbox(client);
    await live.started;

    const fresh = [...(await write(userId, 2)), ...(await write(userId))];
    await live.receivedCount(3);
    expect(live.received).toEqual(await expectedEntries(client, api.db, fresh));
  });

  it("resumes after the last event id it was given: exactly the entries missed while away", async () => {
    const { client, userId } = await api.signIn("live-resume@daycarat.dev");
    const first = subscribeToInbox(client);
    await first.started;
    const seen = await write(userId, 2);
    await first.receivedCount(2);
    first.stop();
    const lastEventId = first.received.at(-1)?.id;

    const missed = [...(await write(userId)), ...(await write(userId, 2))];
    const second = subscribeToInbox(client, lastEventId);
    await second.started;
    const later = await write(userId);
    await second.receivedCount(4);

    expect(first.received).toEqual(await expectedEntries(client, api.db, seen));
    expect(second.received).toEqual(await expectedEntries(client, api.db, [...missed, ...later]));
  });

  it("refuses a caller without a session", async () => {
    const live = subscribeToInbox(api.anonymous());
    expect(errorCode(await live.failed)).toBe("UNAUTHORIZED");
  });

  it("refuses a last event id that is no entry's sequence number", async () => {
    const { client } = await api.signIn("live-bad-id@daycarat.dev");
    for (const lastEventId of ["", "abc", "-1", "1.5", "12345678901234567890"]) {
      const error = await subscribeToInbox(client, lastEventId).failed;
      expect(errorCode(error), lastEventId).toBe("BAD_REQUEST");
      expect(
        fieldIssues(error).map((issue) => issue.path),
        lastEventId,
      ).toEqual(["lastEventId"]);
    }
  });

  it("delivers what was written while the LISTEN connection was down, once it is back", async () => {
    const { client, userId } = await api.signIn("live-listen-drop@daycarat.dev");
    const live = subscribeToInbox(client);
    await live.started;

    // No new connection may reach the database while the listener is cut off and the
    // entries are written, so the feed cannot be listening again before they commit.
    const written = await withConnection(inject("adminDatabaseUrl"), async (admin) => {
      await allowConnections(admin, false);
      try {
        const { rowCount } = await admin.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2",
          [database, listenerApplicationName(NOTIFICATION_CHANNEL)],
        );
        expect(rowCount).toBe(1);
        return await write(userId, 2);
      } finally {
        await allowConnections(admin, true);
      }
    });

    // Well within the subscription's 30 s safety re-check: the reconnected feed wakes everyone.
    await live.receivedCount(2, 15_000);
    expect(live.received).toEqual(await expectedEntries(client, api.db, written));
  });

  it("reconnects by itself when the connection drops, with a refreshed token, from its last event", async () => {
    const { client, tokens, userId } = await api.signIn("live-drop@daycarat.dev");
    const live = subscribeToInbox(client);
    await live.started;
    const before = await write(userId);
    await live.receivedCount(1);

    // Time passes: the access token expired; then the network drops every connection.
    const session = await tokens.get();
    const expired = await expiredAccessToken(userId);
    await tokens.set({ accessToken: expired, refreshToken: session?.refreshToken ?? "" });
    api.app.server.closeAllConnections();
    const during = await write(userId);

    await live.receivedCount(2, 15_000);
    const after = await write(userId);
    await live.receivedCount(3);
    expect(live.received).toEqual(await expectedEntries(client, api.db, [...before, ...during, ...after]));
    expect((await tokens.get())?.accessToken).not.toBe(expired);
  });

  it("starts with an expired access token by refreshing it first", async () => {
    const { client, tokens, userId } = await api.signIn("live-expired@daycarat.dev");
    const session = await tokens.get();
    await tokens.set({ accessToken: await expiredAccessToken(userId), refreshToken: session?.refreshToken ?? "" });
    const live = subscribeToInbox(client);
    await live.started;
    const written = await write(userId);
    await live.receivedCount(1);
    expect(live.received).toEqual(await expectedEntries(client, api.db, written));
  });
});
