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
// load.ts), BENCH_COMPARE=tracing or metrics (each scenario against servers with and without a feature,
// side by side in rounds: see comparisons.ts and server-variants.ts; BENCH_COMPARE_ROUNDS).
// DATABASE_URL: a Postgres server to use instead of an embedded one (the
// benchmark creates and drops a database of its own there).
import pg from "pg";
import { createCleanupStack, integerSetting, runBenchmark } from "@daycarat/devkit";
import { comparisonSetting } from "./comparisons.ts";
import { createProcedureRecorder, explainScenario, procedureExists, type ScenarioPlans } from "./explain.ts";
import { checkScenarioAnswers, runLoad, type BenchmarkUser, type LoadFigures, type LoadSettings } from "./load.ts";
import { printFiguresLine, printFiguresTable, printHeading, printPlans } from "./report.ts";
import { SCENARIOS, type Scenario } from "./scenarios.ts";
import { compareServerVariants } from "./server-variants.ts";
import { chooseUsers, pacingSetting, provideSeededDatabase, selectedScenarios, startProjectServer } from "./setup.ts";
import { generateJwtSecret } from "./tokens.ts";

/** The database the benchmark fills; it never touches the one DATABASE_URL names. */
const BENCHMARK_DATABASE = "daycarat_benchmark";

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
  compare: comparisonSetting(),
};

/** Undone in reverse order, on the way out or on Ctrl+C. */
const cleanups = createCleanupStack();

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

async function warmUp(scenario: Scenario, load: LoadSettings): Promise<void> {
  await checkScenarioAnswers(scenario, load);
  if (settings.warmupSeconds > 0) await runLoad(scenario, load, settings.warmupSeconds);
}

async function measureScenario(scenario: Scenario, load: LoadSettings): Promise<LoadFigures> {
  await warmUp(scenario, load);
  const figures = await runLoad(scenario, load);
  printFiguresLine(figures);
  return figures;
}

async function main(): Promise<number> {
  const scenarios = selectedScenarios(SCENARIOS);
  const missing = scenarios.filter((scenario) => !procedureExists(scenario.procedure));
  const runnable = scenarios.filter((scenario) => procedureExists(scenario.procedure));
  for (const scenario of missing) console.error(`SKIPPED ${scenario.name}: ${scenario.procedure} is not in the API's router`);

  const database = await provideSeededDatabase(cleanups, {
    databaseName: BENCHMARK_DATABASE,
    users: settings.users,
    episodesPerUser: settings.episodesPerUser,
    describeLoad:
      `${settings.rate} req/s fixed rate (${settings.pacing}), ${settings.connections} connections, ` +
      `${settings.durationSeconds} s per scenario ` +
      `after ${settings.warmupSeconds} s of warm-up, spread over ${settings.tokenUsers} users`,
  });
  const jwtSecret = generateJwtSecret();
  const startServer = (env?: NodeJS.ProcessEnv) => startProjectServer(cleanups, { databaseUrl: database.url, jwtSecret, env });
  const server = await startServer();
  const users = await chooseUsers(database.userIds, jwtSecret, settings.tokenUsers);

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
  // Fresh tokens for each scenario: the API refuses tokens older than 15 minutes.
  const loadFor = async () => ({ ...load, users: await chooseUsers(database.userIds, jwtSecret, settings.tokenUsers) });
  if (settings.compare) {
    const comparison = await settings.compare(cleanups);
    const runner = { server, startServer, loadFor, warmUp, measure: runLoad };
    const failed = await compareServerVariants(comparison, runnable, runner, cleanups);
    for (const { scenario, label, failed: responses } of failed)
      console.error(`FAILED ${scenario} (${label}): ${responses} non-2xx responses or connection errors`);
    return failed.length > 0 || missing.length > 0 ? 1 : 0;
  }
  const rows = [];
  for (const scenario of runnable)
    rows.push({ scenario, figures: await measureScenario(scenario, await loadFor()), plans: plans.get(scenario) });

  printHeading("results");
  printFiguresTable(rows);
  const failed = rows.filter(({ figures }) => figures.non2xx > 0 || figures.errors > 0);
  for (const { scenario, figures } of failed) {
    console.error(`FAILED ${scenario.name}: ${figures.non2xx} non-2xx responses, ${figures.errors} connection errors`);
  }
  return failed.length > 0 || missing.length > 0 ? 1 : 0;
}

await runBenchmark(main, () => cleanups.run());
