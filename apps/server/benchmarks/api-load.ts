// The core API under load: seeds 1,000 users × 200 episodes, starts the real server in a
// process of its own, EXPLAINs the SQL behind each scenario, then sends each scenario at a
// fixed rate and reports throughput and latency percentiles. Exits non-zero when any
// response was not 2xx (or a scenario could not run). See BENCHMARKS.md.
//
//   pnpm bench:api                      (from the repository root)
//
// Knobs, for quicker trial runs (defaults are the documented benchmark): BENCH_USERS,
// BENCH_EPISODES_PER_USER, BENCH_TOKEN_USERS, BENCH_RATE, BENCH_CONNECTIONS,
// BENCH_DURATION_SECONDS, BENCH_WARMUP_SECONDS, BENCH_SCENARIOS (comma-separated parts of
// scenario names: only those run), BENCH_PACING (burst, the default, or staggered: see
// load.ts). DATABASE_URL: a Postgres server to use instead of an embedded one (the
// benchmark creates and drops a database of its own there).
import { fileURLToPath } from "node:url";
import pg from "pg";
import {
  createCleanupStack,
  freshDatabase,
  integerSetting,
  machineFacts,
  provideThrowawayPostgres,
  runBenchmark,
  startServerProcess,
  UNREACHED_RATE_LIMITS,
} from "@daycarat/devkit";
import { createLogger } from "@daycarat/logger";
import { createProcedureRecorder, explainScenario, procedureExists, type ScenarioPlans } from "./explain.ts";
import { checkScenarioAnswers, runLoad, type BenchmarkUser, type LoadFigures, type LoadSettings, type Pacing } from "./load.ts";
import { sample, seededRandom } from "./random.ts";
import { printFiguresLine, printFiguresTable, printHeading, printPlans, printSeedSummary } from "./report.ts";
import { SCENARIOS, type Scenario } from "./scenarios.ts";
import { seedDatabase } from "./seed.ts";
import { generateJwtSecret, mintAccessToken } from "./tokens.ts";

const SEED = 20_260_101;
const SERVER_MAIN = fileURLToPath(import.meta.resolve("@daycarat/server/main"));
/** The database the benchmark fills; it never touches the one DATABASE_URL names. */
const BENCHMARK_DATABASE = "daycarat_benchmark";

function pacingSetting(): Pacing {
  const raw = process.env.BENCH_PACING ?? "burst";
  if (raw === "burst" || raw === "staggered") return raw;
  throw new Error(`BENCH_PACING must be burst or staggered, not "${raw}"`);
}

/** The scenarios whose name contains one of BENCH_SCENARIOS's comma-separated parts; all when unset. */
function selectedScenarios(): Scenario[] {
  const parts = (process.env.BENCH_SCENARIOS ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) return SCENARIOS;
  return SCENARIOS.filter((scenario) => parts.some((part) => scenario.name.includes(part)));
}

const settings = {
  users: integerSetting("BENCH_USERS", 1_000, 0),
  episodesPerUser: integerSetting("BENCH_EPISODES_PER_USER", 200, 0),
  /** The load is spread over this many users, a token each. */
  tokenUsers: integerSetting("BENCH_TOKEN_USERS", 100, 0),
  rate: integerSetting("BENCH_RATE", 200, 0),
  connections: integerSetting("BENCH_CONNECTIONS", 20, 0),
  durationSeconds: integerSetting("BENCH_DURATION_SECONDS", 30, 0),
  /** Unmeasured load before each scenario: the server's JIT and Postgres's cache settle first. */
  warmupSeconds: integerSetting("BENCH_WARMUP_SECONDS", 5, 0),
  pacing: pacingSetting(),
};

/** Undone in reverse order, on the way out or on Ctrl+C. */
const cleanups = createCleanupStack();

async function describeMachine(databaseUrl: string, where: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
  await client.end();
  console.log(
    `machine: ${machineFacts()}; ` +
      `Postgres ${rows[0]?.server_version ?? "?"} (${where}); server, Postgres and load generator share the machine`,
  );
  console.log(
    `load: ${settings.rate} req/s fixed rate (${settings.pacing}), ${settings.connections} connections, ` +
      `${settings.durationSeconds} s per scenario ` +
      `after ${settings.warmupSeconds} s of warm-up, spread over ${settings.tokenUsers} users`,
  );
}

/** Users the load is spread over, the same ones on every run, each with an access token. */
async function chooseUsers(userIds: string[], jwtSecret: string): Promise<BenchmarkUser[]> {
  const chosen = sample(seededRandom(SEED), userIds, settings.tokenUsers);
  return Promise.all(chosen.map(async (id) => ({ id, accessToken: await mintAccessToken(jwtSecret, id) })));
}

async function explainScenarios(databaseUrl: string, jwtSecret: string, scenarios: Scenario[], users: BenchmarkUser[]) {
  const recorder = await createProcedureRecorder(databaseUrl, jwtSecret);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const plans = new Map<Scenario, ScenarioPlans>();
    const accessTokens = users.map((user) => user.accessToken);
    for (const scenario of scenarios) {
      const scenarioPlans = await explainScenario(recorder, client, scenario, accessTokens);
      printPlans(scenarioPlans);
      plans.set(scenario, scenarioPlans);
    }
    return plans;
  } finally {
    await client.end();
    await recorder.close();
  }
}

async function measureScenario(scenario: Scenario, load: LoadSettings): Promise<LoadFigures> {
  await checkScenarioAnswers(scenario, load);
  if (settings.warmupSeconds > 0) await runLoad(scenario, load, settings.warmupSeconds);
  const figures = await runLoad(scenario, load);
  printFiguresLine(figures);
  return figures;
}

async function main(): Promise<number> {
  const scenarios = selectedScenarios();
  const missing = scenarios.filter((scenario) => !procedureExists(scenario.procedure));
  const runnable = scenarios.filter((scenario) => procedureExists(scenario.procedure));
  for (const scenario of missing) console.error(`SKIPPED ${scenario.name}: ${scenario.procedure} is not in the API's router`);

  const logger = createLogger({ service: "benchmark", level: "warn", pretty: false });
  // A database of its own, so 200,000 sample episodes never land in real data.
  const postgres = await provideThrowawayPostgres(process.env.DATABASE_URL, logger);
  cleanups.push(() => postgres.dispose(), "the Postgres server");
  const database = await freshDatabase(postgres.url, BENCHMARK_DATABASE, { migrateWith: logger });
  cleanups.push(() => database.drop(), "the benchmark database");
  await describeMachine(database.url, postgres.description);

  printHeading("seeding");
  const seeded = await seedDatabase(database.url, {
    users: settings.users,
    episodesPerUser: settings.episodesPerUser,
    finalizedShare: 0.35,
    seed: SEED,
  });
  printSeedSummary(seeded.rowCounts, seeded.durationMs);

  const jwtSecret = generateJwtSecret();
  // As in production: JSON logs, warnings only, no development sign-in.
  const server = await startServerProcess(SERVER_MAIN, {
    NODE_ENV: "production",
    DATABASE_URL: database.url,
    JWT_SECRET: jwtSecret,
    LOG_LEVEL: "warn",
    LOG_FORMAT: "json",
    // The load measures the API, not its limits on abuse: every request comes from one address
    // and a few users.
    ...UNREACHED_RATE_LIMITS,
  });
  cleanups.push(() => server.stop());
  const users = await chooseUsers(seeded.userIds, jwtSecret);
  if (users.length === 0) throw new Error("no users to send requests as (BENCH_TOKEN_USERS is 0?)");

  const plans = await explainScenarios(database.url, jwtSecret, runnable, users);

  printHeading("load");
  const load: LoadSettings = {
    serverUrl: server.url,
    users,
    rate: settings.rate,
    connections: settings.connections,
    durationSeconds: settings.durationSeconds,
    pacing: settings.pacing,
  };
  const rows = [];
  for (const scenario of runnable) {
    // Fresh tokens for each scenario: the API refuses tokens older than 15 minutes.
    const fresh = { ...load, users: await chooseUsers(seeded.userIds, jwtSecret) };
    rows.push({ scenario, figures: await measureScenario(scenario, fresh), plans: plans.get(scenario) });
  }

  printHeading("results");
  printFiguresTable(rows);
  const failed = rows.filter(({ figures }) => figures.non2xx > 0 || figures.errors > 0);
  for (const { scenario, figures } of failed) {
    console.error(`FAILED ${scenario.name}: ${figures.non2xx} non-2xx responses, ${figures.errors} connection errors`);
  }
  return failed.length > 0 || missing.length > 0 ? 1 : 0;
}

await runBenchmark(main, () => cleanups.run());
