// pnpm bench:db-client: what one small read costs the process that sends it, by the way it is
// sent: Prisma's client (a model query, a raw query), readRows (the client's own pool, no
// Prisma in between) and a node-postgres pool of its own (the floor). The same statement
// (the inbox badge's count, one index range) from 32 callers at once over 8 connections; the
// variants take turns in rounds and each reports its median CPU time per query (user + system,
// this process only) and queries per second. In-process, against a throwaway Postgres.
//
// Knobs: BENCH_QUERIES=20000 per round and variant, BENCH_ROUNDS=3, DATABASE_URL (a server instead of an embedded one)
import { randomUUID } from "node:crypto";
import { median } from "es-toolkit/math/median";
import pg from "pg";
import { createDatabaseClient, Prisma, readRows, type DatabaseClient } from "@daycarat/db";
import { createCleanupStack, integerSetting, runBenchmark } from "@daycarat/devkit";
import { createLogger } from "@daycarat/logger";
import { provideBenchmarkDatabase } from "./setup.ts";

const settings = {
  queries: integerSetting("BENCH_QUERIES", 20_000),
  rounds: integerSetting("BENCH_ROUNDS", 3),
};
const CALLERS = 32;
const CONNECTIONS = 8;
/** Unmeasured queries before the first round: the JIT, Prisma's query plan cache, the connections. */
const WARM_UP_QUERIES = 3_000;

const cleanups = createCleanupStack();

const UNREAD_SQL = (userId: string) =>
  Prisma.sql`SELECT count(*)::int AS count FROM notifications WHERE "userId" = ${userId}::uuid AND "readAt" IS NULL`;

interface Variant {
  label: string;
  query: () => Promise<unknown>;
}

function variants(db: DatabaseClient, pool: pg.Pool, userId: string): Variant[] {
  const sql = UNREAD_SQL(userId);
  return [
    { label: "Prisma, model query (`notification.count`)", query: () => db.notification.count({ where: { userId, readAt: null } }) },
    { label: "Prisma, raw query (`$queryRaw`)", query: () => db.$queryRaw(sql) },
    { label: "readRows (the client's pool)", query: () => readRows(db, sql) },
    { label: "node-postgres pool of its own", query: async () => (await pool.query<{ count: number }>(sql.text, sql.values)).rows },
  ];
}

/** `count` queries from CALLERS callers at once: CPU µs per query and queries per second. */
async function measure(query: () => Promise<unknown>, count: number) {
  let sent = 0;
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (sent++ < count) await query();
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return { cpuUs: (cpu.user + cpu.system) / count, perSecond: count / ((performance.now() - startedAt) / 1000) };
}

async function main(): Promise<number> {
  const logger = createLogger({ service: "benchmark", level: "warn", pretty: false });
  const database = await provideBenchmarkDatabase(cleanups, "daycarat_bench_db_client", logger);
  const db = createDatabaseClient(database.url, { maxConnections: CONNECTIONS });
  cleanups.push(() => db.$disconnect());
  const pool = new pg.Pool({ connectionString: database.url, max: CONNECTIONS });
  cleanups.push(() => pool.end());

  const user = await db.user.create({ data: { id: randomUUID(), nickname: "벤치" }, select: { id: true } });
  await db.notification.createMany({
    data: Array.from({ length: 30 }, (_, index) => ({
      userId: user.id,
      type: "ANALYSIS_SUCCEEDED" as const,
      category: "AI_RESULT" as const,
      title: "분석 완료",
      body: "에피소드 분석이 끝났어요",
      dedupeKey: `bench:${index}`,
      readAt: index % 3 === 0 ? new Date() : null,
    })),
  });
  const all = variants(db, pool, user.id);
  const answers = await Promise.all(all.map((variant) => variant.query()));
  console.log(`the count each variant answers: ${JSON.stringify(answers)}`);
  for (const variant of all) await measure(variant.query, WARM_UP_QUERIES);

  const rounds = new Map(all.map((variant) => [variant.label, [] as { cpuUs: number; perSecond: number }[]]));
  for (let round = 0; round < settings.rounds; round++) {
    for (const variant of all) rounds.get(variant.label)?.push(await measure(variant.query, settings.queries));
  }

  console.log(
    `\n${settings.queries} queries per round and variant, ${CALLERS} callers, ${CONNECTIONS} connections, ${settings.rounds} rounds (medians)`,
  );
  console.log("| how it is sent | CPU µs per query | queries/s |\n| --- | ---: | ---: |");
  for (const [label, figures] of rounds) {
    const cpuUs = median(figures.map((figure) => figure.cpuUs));
    const perSecond = median(figures.map((figure) => figure.perSecond));
    console.log(`| ${label} | ${cpuUs.toFixed(1)} | ${perSecond.toFixed(0)} |`);
  }
  return 0;
}

await runBenchmark(main, () => cleanups.run());
