// pnpm bench:replicas: what routing a read to a replica costs. Read-your-writes takes one
// primary-key lookup of the user's last write position on the primary per replica read, and
// each write through the API one upsert of it; set beside a page of episodes.list read from
// the primary and from the replica. A primary and a streaming replica, embedded, on 127.0.0.1.
import { randomUUID } from "node:crypto";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { createDatabaseClient, ensureDatabase, migrateDatabase, startReadRouting, type DatabaseClient } from "@daycarat/db";
import { createCleanupStack, machineFacts, runBenchmark, startReplicatedPostgres, waitUntil } from "@daycarat/devkit";
import { createLogger } from "@daycarat/logger";

const ROUNDS = 5;
const CALLS_PER_ROUND = 500;
const EPISODES = 200;

const cleanups = createCleanupStack();

/** The median over ROUNDS of the time one call took, in microseconds (a first round warms up). */
async function microsecondsPerCall(call: () => Promise<unknown>): Promise<number> {
  const rounds: number[] = [];
  for (let index = 0; index <= ROUNDS; index++) {
    const start = performance.now();
    for (let count = 0; count < CALLS_PER_ROUND; count++) await call();
    if (index > 0) rounds.push(((performance.now() - start) * 1000) / CALLS_PER_ROUND);
  }
  return rounds.sort((a, b) => a - b)[Math.floor(rounds.length / 2)] ?? Number.NaN;
}

/** A page of the user's episodes, as episodes.list reads it with no filter. */
const listPage = (db: DatabaseClient, userId: string) =>
  db.episode.findMany({
    where: { userId },
    orderBy: [{ date: "desc" }, { id: "desc" }],
    take: 21,
    select: { id: true, title: true, date: true, state: true, keyword: true, activityTag: { select: { id: true, name: true } } },
  });

async function seedEpisodes(db: DatabaseClient): Promise<string> {
  const user = await db.user.create({ data: { nickname: "bench" } });
  const tag = await db.activityTag.create({ data: { userId: user.id, name: "tag", searchJamo: "tag", searchInitials: "" } });
  await db.episode.createMany({
    data: Array.from({ length: EPISODES }, (_, index) => ({
      userId: user.id,
      activityTagId: tag.id,
      title: `episode ${index}`,
      date: new Date(Date.UTC(2026, 0, 1 + (index % 300))),
    })),
  });
  return user.id;
}

async function main(): Promise<number> {
  const logger = createLogger({ service: "benchmark", level: "warn", pretty: false });
  console.log(
    `${machineFacts()}; load average ${loadavg()
      .map((load) => load.toFixed(1))
      .join(", ")}`,
  );
  const cluster = await startReplicatedPostgres(logger);
  cleanups.push(() => cluster.dispose(), "the primary and its replica");
  await ensureDatabase(cluster.primary.url, "daycarat");
  const primaryUrl = cluster.primary.urlFor("daycarat");
  await migrateDatabase({ databaseUrl: primaryUrl, logger });
  const primary = createDatabaseClient(primaryUrl, { maxConnections: 2 });
  cleanups.push(() => primary.$disconnect());
  const userId = await seedEpisodes(primary);
  await cluster.untilReplayed();

  const replicaUrl = cluster.replica.urlFor("daycarat");
  const reads = startReadRouting({ primary, replicaUrls: [replicaUrl], maxLagMs: 5_000, poolSize: 2, logger });
  cleanups.push(() => reads.close(), "the read routing");
  await waitUntil(() => (reads.replicas()[0]?.state === "up" ? true : undefined), { what: "the replica to be up", timeoutMs: 30_000 });
  const replica = (await reads.readerFor(userId)).db;
  const noWriteYet = randomUUID();

  const onPrimary = await microsecondsPerCall(() => listPage(primary, userId));
  const onReplica = await microsecondsPerCall(() => listPage(replica, userId));
  const choose = await microsecondsPerCall(() => reads.readerFor(noWriteYet));
  const routed = await microsecondsPerCall(async () => listPage((await reads.readerFor(noWriteYet)).db, userId));
  const record = await microsecondsPerCall(() => reads.recordWrite(userId));

  console.log(`\n${ROUNDS} rounds of ${CALLS_PER_ROUND} sequential calls each, median per call; a page of 20 of ${EPISODES} episodes`);
  console.log("\n| step | µs per call |\n| --- | ---: |");
  console.log(`| a page of episodes.list on the primary | ${onPrimary.toFixed(0)} |`);
  console.log(`| the same page on the replica | ${onReplica.toFixed(0)} |`);
  console.log(`| choosing the replica (the user's write position, looked up on the primary) | ${choose.toFixed(0)} |`);
  console.log(`| choosing, then the page on the replica | ${routed.toFixed(0)} |`);
  console.log(`| recording a write's position (after each mutation) | ${record.toFixed(0)} |`);
  console.log(`\nrouting adds ${(((routed - onReplica) / onReplica) * 100).toFixed(0)} % to a replica read of a page`);
  return 0;
}

await runBenchmark(main, () => cleanups.run());
