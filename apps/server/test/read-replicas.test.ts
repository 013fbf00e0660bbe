import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createDayCaratClient, memoryTokenStore, type DayCaratClient } from "@daycarat/client";
import { createDatabaseClient, ensureDatabase, migrateDatabase, REPLICA_READS_APPLICATION_NAME, withConnection } from "@daycarat/db";
import { startReplicatedPostgres, waitUntil } from "@daycarat/devkit";
import { captureLogs } from "@daycarat/testkit";
import { startTestServer } from "./test-server.ts";

// A real primary and a streaming replica of it (a base backup of the primary, in standby mode),
// and two server processes' worth of servers on them: listing procedures read from the replica,
// a user's own writes are read back wherever the next call lands, and a replica that lags or is
// down is skipped without an error.

const logger = captureLogs().logger;
const cluster = await startReplicatedPostgres(logger);
afterAll(() => cluster.dispose());
await ensureDatabase(cluster.primary.url, "daycarat");
const primaryUrl = cluster.primary.urlFor("daycarat");
await migrateDatabase({ databaseUrl: primaryUrl, logger });
await cluster.untilReplayed();
const replicaUrl = () => cluster.replica.urlFor("daycarat");

const db = createDatabaseClient(primaryUrl, { maxConnections: 3 });
afterAll(() => db.$disconnect());
// Long enough that the paused replica of the routing test is not yet judged lagging, on a loaded machine too.
const MAX_LAG_MS = 3_000;
const env = { DATABASE_URL: primaryUrl, DATABASE_REPLICA_URLS: replicaUrl(), DATABASE_REPLICA_MAX_LAG_MS: String(MAX_LAG_MS) };
// Two servers on one database, as two processes behind a load balancer would be.
const servers = [await startTestServer(db, primaryUrl, env), await startTestServer(db, primaryUrl, env)];

interface ReplicaReport {
  replica: number;
  state: string;
  lagMs: number | null;
}

async function readyz(server = servers[0]) {
  const response = await fetch(`${server?.url}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string; replicas: ReplicaReport[] } };
}

/** Resolves once every server's /readyz names the replica in `state`. */
async function untilReplicaIs(state: string) {
  await waitUntil(
    async () => {
      const reports = await Promise.all(servers.map((server) => readyz(server)));
      return reports.every(({ body }) => body.replicas[0]?.state === state) ? true : undefined;
    },
    { what: `the replica to be ${state} on every server`, timeoutMs: 20_000 },
  );
}

const onReplica = (sql: string) => withConnection(replicaUrl(), (client) => client.query(sql));

/** The connections the servers' replica pools hold on the replica. */
async function replicaReadConnections(): Promise<number> {
  const { rows } = await withConnection(replicaUrl(), (client) =>
    client.query<{ count: number }>("SELECT count(*)::int AS count FROM pg_stat_activity WHERE application_name = $1", [
      REPLICA_READS_APPLICATION_NAME,
    ]),
  );
  return rows[0]?.count ?? 0;
}

/** A user signed in on both servers with one session: calls go to either. */
async function signIn(email: string) {
  const tokens = memoryTokenStore();
  const [first, second] = servers.map((server) => createDayCaratClient({ url: server.url, tokens })) as [DayCaratClient, DayCaratClient];
  const session = await first.auth.dev.mutate({ email });
  return { first, second, userId: session.user.id };
}

/** An inbox entry written on the primary behind the API's back, as the worker writes them. */
function notifyBehindTheApi(userId: string) {
  return db.notification.create({
    data: { userId, type: "NOTICE", category: "NOTICE", title: "공지", body: "새 공지", dedupeKey: randomUUID() },
  });
}

const episode = (title: string) => ({
  title,
  date: "2026-11-30",
  activityTag: "큐시즘 29기",
  contents: [{ type: "FREE" as const, content: "내용" }],
});

describe("reads on a streaming replica", () => {
  it("/readyz names the replica up, with no lag while the primary is idle", async () => {
    await untilReplicaIs("up");
    // Idle for longer than the limit: a lag taken from the last replayed transaction's time would now exceed it.
    await new Promise((resolve) => setTimeout(resolve, MAX_LAG_MS + 500));
    const { status, body } = await readyz();
    expect(status).toBe(200);
    // Public: numbered, with no host, user or database named.
    expect(body).toEqual({ status: "ready", replicas: [{ replica: 1, state: "up", lagMs: 0 }] });
  });

  it("serves lists and counts from the replica, and a user's own writes from wherever they are replayed, on every server", async () => {
    await untilReplicaIs("up");
    const alice = await signIn(`alice-${randomUUID()}@replica.dev`);
    await cluster.untilReplayed();
    // Frozen, the replica cannot have anything written from now on.
    await onReplica("SELECT pg_wal_replay_pause()");
    try {
      await notifyBehindTheApi(alice.userId);
      // The replica answered: the primary has the entry, the replica does not.
      expect(await alice.first.notifications.unreadCount.query()).toEqual({ count: 0 });
      expect(await alice.second.notifications.unreadCount.query()).toEqual({ count: 0 });
      expect(await replicaReadConnections()).toBeGreaterThan(0);

      // Her own write, through one server, is read back through the other: from the primary,
      // since the replica has not replayed it.
      const written = await alice.first.episodes.create.mutate(episode("방금 쓴 에피소드"));
      const seen = await alice.second.episodes.list.query({});
      expect(seen.items.map((item) => item.id)).toEqual([written.id]);
      expect(await alice.second.notifications.unreadCount.query()).toEqual({ count: 1 });
      expect(await alice.first.stats.counts.query()).toMatchObject({ total: 1 });

      // Someone who wrote nothing is still served by the replica.
      const bob = await signIn(`bob-${randomUUID()}@replica.dev`);
      await notifyBehindTheApi(bob.userId);
      // Bob's sign-in is not on the replica either: his reads are the replica's empty answers.
      expect(await bob.second.notifications.unreadCount.query()).toEqual({ count: 0 });
    } finally {
      await onReplica("SELECT pg_wal_replay_resume()");
    }

    // Once the replica has replayed her write, it serves her again.
    await cluster.untilReplayed();
    await waitUntil(
      async () => {
        await onReplica("SELECT pg_wal_replay_pause()");
        await notifyBehindTheApi(alice.userId);
        const { count } = await alice.second.notifications.unreadCount.query();
        const listed = await alice.second.episodes.list.query({});
        await onReplica("SELECT pg_wal_replay_resume()");
        // The list has her episode (replayed) but not the new entry: the replica answered.
        expect(listed.items).toHaveLength(1);
        return count < (await db.notification.count({ where: { userId: alice.userId } })) ? true : undefined;
      },
      { what: "the replica to serve Alice again", timeoutMs: 10_000 },
    );
  });

  it("skips a replica further behind than DATABASE_REPLICA_MAX_LAG_MS, and names it lagging", async () => {
    await untilReplicaIs("up");
    const carol = await signIn(`carol-${randomUUID()}@replica.dev`);
    await cluster.untilReplayed();
    await onReplica("SELECT pg_wal_replay_pause()");
    try {
      await notifyBehindTheApi(carol.userId);
      await untilReplicaIs("lagging");
      const { status, body } = await readyz();
      expect(status).toBe(200);
      expect(body.replicas[0]?.lagMs).toBeGreaterThan(MAX_LAG_MS);
      // Carol wrote nothing through the API, yet reads the entry: from the primary.
      expect(await carol.first.notifications.unreadCount.query()).toEqual({ count: 1 });
    } finally {
      await onReplica("SELECT pg_wal_replay_resume()");
    }
    await untilReplicaIs("up");
  });

  it("reads from the primary without an error while the replica is down, and from the replica once it is back", async () => {
    await untilReplicaIs("up");
    const dave = await signIn(`dave-${randomUUID()}@replica.dev`);
    await dave.first.episodes.create.mutate(episode("다운 전에"));
    let failures = 0;
    let calls = 0;
    const stopReading = new AbortController();
    const readLoop = (async () => {
      while (!stopReading.signal.aborted) {
        const results = await Promise.allSettled([dave.first.episodes.list.query({}), dave.second.stats.counts.query()]);
        calls += results.length;
        failures += results.filter((result) => result.status === "rejected").length;
      }
    })();
    try {
      await cluster.stopReplica();
      await untilReplicaIs("down");
      const { status, body } = await readyz();
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: "ready", replicas: [{ state: "down", lagMs: null }] });
      expect((await dave.second.episodes.list.query({})).items).toHaveLength(1);
    } finally {
      await cluster.startReplica();
    }
    await untilReplicaIs("up");
    stopReading.abort();
    await readLoop;
    expect(calls).toBeGreaterThan(0);
    expect(failures).toBe(0);
  });
});
