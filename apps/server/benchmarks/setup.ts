// What the load benchmarks (bench:api, bench:ceiling, bench:profile) share: a seeded database of
// their own, the real server in a process of its own, and the users the load is spread over.
import { fileURLToPath } from "node:url";
import pg from "pg";
import {
  describeProcessSettings,
  freshDatabase,
  machineFacts,
  provideThrowawayPostgres,
  startServerProcess,
  UNREACHED_RATE_LIMITS,
  type CleanupStack,
} from "@daycarat/devkit";
import { heapLimitFlags, mallocEnvironment } from "@daycarat/lifecycle";
import { createLogger, type Logger } from "@daycarat/logger";
import { PACINGS, type BenchmarkUser, type Pacing } from "./load.ts";
import { sample, seededRandom } from "./random.ts";
import { printHeading, printSeedSummary } from "./report.ts";
import { seedDatabase } from "./seed.ts";
import { mintAccessToken } from "./tokens.ts";

export const SEED = 20_260_101;
export const SERVER_MAIN = fileURLToPath(import.meta.resolve("@daycarat/server/main"));

/** The scenarios whose name contains one of BENCH_SCENARIOS's comma-separated parts; all when unset. */
export function selectedScenarios<Named extends { name: string }>(scenarios: Named[]): Named[] {
  const parts = (process.env.BENCH_SCENARIOS ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) return scenarios;
  return scenarios.filter((scenario) => parts.some((part) => scenario.name.includes(part)));
}

/** How a fixed rate is spread over each second (load.ts): BENCH_PACING, burst unless set. */
export function pacingSetting(): Pacing {
  const raw = process.env.BENCH_PACING ?? "burst";
  const pacing = PACINGS.find((each) => each === raw);
  if (!pacing) throw new Error(`BENCH_PACING must be one of ${PACINGS.join(", ")}, not "${raw}"`);
  return pacing;
}

/** A migrated database of a benchmark's own, and where it runs (for the report). */
export interface BenchmarkDatabase {
  url: string;
  description: string;
}

/**
 * A fresh, migrated database named `name` on a throwaway Postgres, or on the server
 * DATABASE_URL names (so benchmark rows never land in real data); dropped by `cleanups`.
 */
export async function provideBenchmarkDatabase(cleanups: CleanupStack, name: string, logger: Logger): Promise<BenchmarkDatabase> {
  const postgres = await provideThrowawayPostgres(process.env.DATABASE_URL, logger);
  cleanups.push(() => postgres.dispose(), "the Postgres server");
  const database = await freshDatabase(postgres.url, name, { migrateWith: logger });
  cleanups.push(() => database.drop(), "the benchmark database");
  return { url: database.url, description: postgres.description };
}

export interface SeededDatabase {
  url: string;
  userIds: string[];
}

/** A database of the benchmark's own (provideBenchmarkDatabase), seeded. */
export async function provideSeededDatabase(
  cleanups: CleanupStack,
  options: { databaseName: string; users: number; episodesPerUser: number; describeLoad: string },
): Promise<SeededDatabase> {
  const logger = createLogger({ service: "benchmark", level: "warn", pretty: false });
  const database = await provideBenchmarkDatabase(cleanups, options.databaseName, logger);
  await describeMachine(database.url, database.description);
  console.log(`load: ${options.describeLoad}`);
  console.log(`servers started with: ${describeProcessSettings(AS_DEPLOYED.nodeArgs, AS_DEPLOYED.env)}`);

  printHeading("seeding");
  const seeded = await seedDatabase(database.url, {
    users: options.users,
    episodesPerUser: options.episodesPerUser,
    finalizedShare: 0.35,
    seed: SEED,
  });
  printSeedSummary(seeded.rowCounts, seeded.durationMs);
  return { url: database.url, userIds: seeded.userIds };
}

async function describeMachine(databaseUrl: string, where: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
  await client.end();
  console.log(
    `machine: ${machineFacts()}; ` +
      `Postgres ${rows[0]?.server_version ?? "?"} (${where}); server, Postgres and load generator share the machine`,
  );
}

/**
 * How `npm start` starts a serving process: V8's heap limits on its command line, malloc's
 * settings in its environment (@daycarat/lifecycle). The raw baseline gets them too, so that a
 * ratio compares the code, not the garbage collector's settings.
 */
export const AS_DEPLOYED = { nodeArgs: heapLimitFlags(), env: mallocEnvironment() };

/** The real server as in production (JSON logs, warnings only, no development sign-in, the heap limits), stopped by `cleanups`. */
export async function startProjectServer(
  cleanups: CleanupStack,
  options: { databaseUrl: string; jwtSecret: string; env?: NodeJS.ProcessEnv },
): Promise<Awaited<ReturnType<typeof startServerProcess>>> {
  const server = await startServerProcess(
    SERVER_MAIN,
    {
      ...AS_DEPLOYED.env,
      NODE_ENV: "production",
      DATABASE_URL: options.databaseUrl,
      JWT_SECRET: options.jwtSecret,
      LOG_LEVEL: "warn",
      LOG_FORMAT: "json",
      // No load balancer to wait for: stop without the production drain.
      SHUTDOWN_DRAIN_MS: "0",
      // The load measures the API, not its limits on abuse: every request comes from one address
      // and a few users.
      ...UNREACHED_RATE_LIMITS,
      ...options.env,
    },
    AS_DEPLOYED.nodeArgs,
  );
  cleanups.push(() => server.stop());
  return server;
}

/**
 * Users the load is spread over, the same ones on every run, each with a fresh access token
 * (the API refuses tokens older than 15 minutes).
 */
export async function chooseUsers(userIds: string[], jwtSecret: string, count: number): Promise<BenchmarkUser[]> {
  const chosen = sample(seededRandom(SEED), userIds, count);
  if (chosen.length === 0) throw new Error("no users to send requests as (BENCH_TOKEN_USERS is 0?)");
  return Promise.all(chosen.map(async (id) => ({ id, accessToken: await mintAccessToken(jwtSecret, id) })));
}
