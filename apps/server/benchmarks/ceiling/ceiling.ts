// pnpm bench:ceiling: how close the project's server comes to the ceiling of its own stack.
// The baseline is a raw Fastify + pg server (raw-server.ts) that checks the same access token
// and sends the SQL captured from the project (replay.ts). Both run in processes of their own
// on one seeded database, rate limits out of reach, the project with WEB_CONCURRENCY=1 against
// one raw process. For each scenario, through /trpc and through REST (/api/v1): the maximum
// req/s (autocannon as fast as answered, after a warm-up), p50 and p99 at a fixed half of that
// maximum, and server CPU ms per request (/proc, the server's whole process tree). Then the
// project's scaling from 1 to 2 processes on the first page. A table, then as the very last
// line of output one JSON object: {"ceiling": {"<trpc|rest> <scenario>": {"project_rps", "raw_rps", "ratio"}}}.
// Exits non-zero when any response was not 2xx. See BENCHMARKS.md.
//
// Knobs (defaults: the documented run, about 5 minutes):
//   BENCH_USERS=300, BENCH_EPISODES_PER_USER=200   the seed
//   BENCH_TOKEN_USERS=100                          users the load is spread over
//   BENCH_CONNECTIONS=32                           autocannon connections
//   BENCH_SERVER_WARMUP_SECONDS=4                  unmeasured load on each freshly started server (its JIT, Prisma's query cache)
//   BENCH_WARMUP_SECONDS=1                         unmeasured load before each measurement
//   BENCH_DURATION_SECONDS=4                       each maximum run
//   BENCH_ROUNDS=3                                 maximum runs per server and scenario, the servers taking turns
//   BENCH_FIXED_RATE_SECONDS=3                     each half-rate run (p50, p99), staggered and in bursts (load.ts)
//   BENCH_SCENARIOS=                               comma-separated parts of scenario names (all when empty)
//   BENCH_PATHS=trpc,rest                          which of the project's paths
//   BENCH_SCALING=1                                0 skips the 1-vs-2-processes section
//   DATABASE_URL                                   a Postgres server to use instead of an embedded one
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { median } from "es-toolkit/math/median";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { choiceListSetting, createCleanupStack, integerSetting, runBenchmark, startServerProcess } from "@daycarat/devkit";
import { createProcedureRecorder } from "../explain.ts";
import { PACINGS, runLoad, type LoadSettings, type Pacing, type RequestPath } from "../load.ts";
import { printHeading } from "../report.ts";
import { AS_DEPLOYED, chooseUsers, provideSeededDatabase, selectedScenarios, startProjectServer } from "../setup.ts";
import { generateJwtSecret } from "../tokens.ts";
import { processTree } from "@daycarat/devkit";
import { captureReplay, type ScenarioReplay } from "./replay.ts";
import { API_PATHS, ceilingLine, ceilingTable, type ApiPath, type CeilingRow, type Latency, type TargetFigures } from "./summary.ts";
import {
  CEILING_SCENARIOS,
  FIRST_PAGE,
  measureLatency,
  measureMaxRun,
  prepareTarget,
  PROJECT_PATHS,
  rawRequestPath,
  rawRoute,
  type CeilingScenario,
  type MaxRun,
  type MeasureSettings,
  type Target,
} from "./targets.ts";

const RAW_SERVER_MAIN = fileURLToPath(new URL("raw-server.ts", import.meta.url));

const settings = {
  users: integerSetting("BENCH_USERS", 300),
  episodesPerUser: integerSetting("BENCH_EPISODES_PER_USER", 200),
  tokenUsers: integerSetting("BENCH_TOKEN_USERS", 100),
  connections: integerSetting("BENCH_CONNECTIONS", 32),
  serverWarmupSeconds: integerSetting("BENCH_SERVER_WARMUP_SECONDS", 4, 0),
  measure: {
    warmupSeconds: integerSetting("BENCH_WARMUP_SECONDS", 1, 0),
    durationSeconds: integerSetting("BENCH_DURATION_SECONDS", 4),
    rounds: integerSetting("BENCH_ROUNDS", 3),
    fixedRateSeconds: integerSetting("BENCH_FIXED_RATE_SECONDS", 3, 0),
  } satisfies MeasureSettings,
  paths: choiceListSetting("BENCH_PATHS", API_PATHS),
  scaling: integerSetting("BENCH_SCALING", 1, 0) > 0,
};

const cleanups = createCleanupStack();

/** Each scenario's statements, captured as one of the users the load is spread over. */
async function captureReplays(databaseUrl: string, jwtSecret: string, scenarios: CeilingScenario[], userIds: string[]) {
  const [user] = await chooseUsers(userIds, jwtSecret, 1);
  if (!user) throw new Error("no user to capture the SQL as");
  const recorder = await createProcedureRecorder(databaseUrl, jwtSecret);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const replays: Record<string, ScenarioReplay> = {};
    for (const scenario of scenarios) {
      const replay = await captureReplay(recorder, client, scenario.scenario, user);
      replays[rawRoute(scenario)] = replay;
      const statements = Object.values(replay)[0] ?? [];
      console.log(`${scenario.name}: ${statements.length} statements, ${Object.keys(replay).length} distinct inputs`);
    }
    return replays;
  } finally {
    await client.end();
    await recorder.close();
  }
}

async function startRawServer(databaseUrl: string, jwtSecret: string, replays: Record<string, ScenarioReplay>) {
  const folder = await mkdtemp(path.join(tmpdir(), "daycarat-ceiling-"));
  cleanups.push(() => rm(folder, { recursive: true, force: true }), "the captured SQL");
  const replaysFile = path.join(folder, "replays.json");
  await writeFile(replaysFile, JSON.stringify(replays));
  const raw = await startServerProcess(
    RAW_SERVER_MAIN,
    { ...AS_DEPLOYED.env, DATABASE_URL: databaseUrl, JWT_SECRET: jwtSecret, RAW_REPLAYS: replaysFile },
    AS_DEPLOYED.nodeArgs,
  );
  cleanups.push(() => raw.stop());
  return raw;
}

function latencyText(pacing: Pacing, { requestsPerSecond, p50Ms, p99Ms }: Latency): string {
  return `${pacing} ${requestsPerSecond.toFixed(0)} req/s answered, p50 ${p50Ms.toFixed(1)} ms p99 ${p99Ms.toFixed(1)} ms`;
}

function printTargetLine(who: string, figures: TargetFigures): void {
  console.log(
    `${who}: max ${figures.maxRps.toFixed(0)} req/s; at ${figures.halfRate} req/s ` +
      PACINGS.map((pacing) => latencyText(pacing, figures.latency[pacing])).join(", ") +
      `; CPU ${figures.cpuMsPerRequest.toFixed(2)} ms/req, ${figures.bytes} bytes, ` +
      `${figures.failures} non-2xx or failed`,
  );
}

type LoadWithoutServer = Omit<LoadSettings, "rate" | "serverUrl" | "path">;

/**
 * Unmeasured load on a server just started, split over the paths it is measured on: a cold
 * server answers its first thousand requests several times slower, which would count against
 * whichever scenario runs first. Resolves to the responses that were not 2xx, and errors.
 */
async function warmUpServer(serverUrl: string, scenario: CeilingScenario, paths: RequestPath[], load: LoadWithoutServer): Promise<number> {
  if (settings.serverWarmupSeconds === 0) return 0;
  const seconds = Math.max(1, Math.round(settings.serverWarmupSeconds / paths.length));
  let failures = 0;
  for (const path of paths) {
    const figures = await runLoad(scenario.scenario, { ...load, serverUrl, path }, seconds);
    failures += figures.non2xx + figures.errors;
  }
  return failures;
}

interface Servers {
  project: { url: string; pid: number };
  raw: { url: string; pid: number };
}

/** A target with its first answer checked and warmed up, and the maximum runs it gets in the rounds. */
interface RoundTarget {
  name: string;
  target: Target;
  bytes: number;
  failures: number;
  runs: MaxRun[];
}

async function prepareRoundTarget(scenario: CeilingScenario, name: string, target: Target): Promise<RoundTarget> {
  return { name, target, ...(await prepareTarget(scenario.scenario, target, settings.measure)), runs: [] };
}

/** A target's figures: the medians of its rounds, then p50 and p99 at half the median maximum. */
async function summariseTarget(scenario: CeilingScenario, { name, target, bytes, failures, runs }: RoundTarget): Promise<TargetFigures> {
  const maxRps = median(runs.map((run) => run.rps));
  const halfRate = Math.max(1, Math.floor(maxRps / 2));
  const latency = await measureLatency(scenario.scenario, target, halfRate, settings.measure);
  const figures: TargetFigures = {
    maxRps,
    halfRate,
    latency: latency.latency,
    cpuMsPerRequest: median(runs.map((run) => run.cpuMsPerRequest)),
    bytes,
    failures: failures + latency.failures + runs.reduce((sum, run) => sum + run.failures, 0),
  };
  printTargetLine(name, figures);
  return figures;
}

/**
 * Every target (the raw server, then each project path) is prepared, then measured as fast as
 * it answers in rounds, the targets taking turns, so that a drift in the machine's speed (a
 * shared virtual machine's) falls on all of them alike; then at half its median maximum.
 */
async function measureScenario(scenario: CeilingScenario, servers: Servers, load: LoadWithoutServer): Promise<CeilingRow[]> {
  printHeading(scenario.name);
  const raw = await prepareRoundTarget(scenario, "raw", {
    load: { ...load, serverUrl: servers.raw.url, path: rawRequestPath(scenario) },
    serverPid: servers.raw.pid,
  });
  const projects: (RoundTarget & { apiPath: ApiPath })[] = [];
  for (const apiPath of settings.paths) {
    const target = { load: { ...load, serverUrl: servers.project.url, path: PROJECT_PATHS[apiPath] }, serverPid: servers.project.pid };
    projects.push({ apiPath, ...(await prepareRoundTarget(scenario, `project ${apiPath}`, target)) });
  }
  for (let round = 0; round < settings.measure.rounds; round++) {
    for (const each of [raw, ...projects]) each.runs.push(await measureMaxRun(scenario.scenario, each.target, settings.measure));
  }
  const rawFigures = await summariseTarget(scenario, raw);
  const rows: CeilingRow[] = [];
  for (const project of projects) {
    const roundRatios = project.runs.map((run, round) => run.rps / (raw.runs[round]?.rps ?? Number.NaN));
    const figures = await summariseTarget(scenario, project);
    rows.push({
      scenario: scenario.name,
      path: project.apiPath,
      project: figures,
      raw: rawFigures,
      roundRatios,
      ratio: median(roundRatios),
    });
  }
  return rows;
}

type ProjectStarter = (processes: number) => Promise<Servers["project"] & { stop(): Promise<void> }>;

/**
 * The first page through /trpc, as fast as answered, on a fresh server with WEB_CONCURRENCY=1
 * and on one with 2, each warmed up alike.
 */
async function measureScaling(start: ProjectStarter, load: LoadWithoutServer) {
  const lines = ["| WEB_CONCURRENCY | processes seen | busy under load | req/s | CPU ms/req |", "| ---: | ---: | ---: | ---: | ---: |"];
  let failures = 0;
  for (const processes of [1, 2]) {
    const server = await start(processes);
    failures += await warmUpServer(server.url, FIRST_PAGE, [PROJECT_PATHS.trpc], load);
    const target = { load: { ...load, serverUrl: server.url, path: PROJECT_PATHS.trpc }, serverPid: server.pid };
    failures += (await prepareTarget(FIRST_PAGE.scenario, target, settings.measure)).failures;
    const run = await measureMaxRun(FIRST_PAGE.scenario, target, settings.measure);
    failures += run.failures;
    const seen = processTree(server.pid).length;
    await server.stop();
    lines.push(`| ${processes} | ${seen} | ${run.cpu.busyProcesses} | ${run.rps.toFixed(0)} | ${run.cpuMsPerRequest.toFixed(2)} |`);
  }
  return { lines, failures };
}

async function main(): Promise<number> {
  const scenarios = selectedScenarios(CEILING_SCENARIOS);
  if (scenarios.length === 0) throw new Error("BENCH_SCENARIOS names none of the scenarios");
  const database = await provideSeededDatabase(cleanups, {
    databaseName: "daycarat_bench_ceiling",
    users: settings.users,
    episodesPerUser: settings.episodesPerUser,
    describeLoad:
      `${settings.connections} connections; per server and scenario ${settings.measure.warmupSeconds} s warm-up, ` +
      `${settings.measure.durationSeconds} s as fast as answered, ${settings.measure.fixedRateSeconds} s at half that rate staggered, then as many in bursts; ` +
      `spread over ${settings.tokenUsers} users`,
  });
  const jwtSecret = generateJwtSecret();

  printHeading("the SQL the project sends");
  const replays = await captureReplays(database.url, jwtSecret, scenarios, database.userIds);
  const raw = await startRawServer(database.url, jwtSecret, replays);
  const startProject: ProjectStarter = async (processes) => {
    const server = await startProjectServer(cleanups, {
      databaseUrl: database.url,
      jwtSecret,
      env: { WEB_CONCURRENCY: String(processes) },
    });
    return { url: server.url, pid: server.child.pid ?? Number.NaN, stop: () => server.stop() };
  };
  const servers = { project: await startProject(1), raw: { url: raw.url, pid: raw.child.pid ?? Number.NaN } };
  const load = async () => ({
    users: await chooseUsers(database.userIds, jwtSecret, settings.tokenUsers),
    connections: settings.connections,
    durationSeconds: settings.measure.durationSeconds,
    // Only the half-rate runs have a rate to pace; measureLatency sets theirs.
    pacing: "staggered" as const,
  });

  const [warmUpWith = FIRST_PAGE] = scenarios;
  const projectPaths = settings.paths.map((apiPath) => PROJECT_PATHS[apiPath]);
  let warmUpFailures = await warmUpServer(servers.raw.url, warmUpWith, [rawRequestPath(warmUpWith)], await load());
  warmUpFailures += await warmUpServer(servers.project.url, warmUpWith, projectPaths, await load());

  const rows: CeilingRow[] = [];
  // Fresh tokens for each scenario: the API refuses tokens older than 15 minutes.
  for (const scenario of scenarios) rows.push(...(await measureScenario(scenario, servers, await load())));
  await servers.project.stop();
  const scaling = settings.scaling ? await measureScaling(startProject, await load()) : undefined;

  printHeading("results");
  for (const line of ceilingTable(rows)) console.log(line);
  if (scaling) {
    printHeading("scaling: episodes.list first page through /trpc, as fast as answered");
    for (const line of scaling.lines) console.log(line);
  }
  const failed = rows.filter(({ project, raw }) => project.failures + raw.failures > 0);
  for (const row of failed) console.error(`FAILED ${row.path} ${row.scenario}: non-2xx responses or connection errors`);
  if (scaling && scaling.failures > 0) console.error("FAILED scaling: non-2xx responses or connection errors");
  if (warmUpFailures > 0) console.error(`FAILED warm-up: ${warmUpFailures} non-2xx responses or connection errors`);
  console.log(ceilingLine(rows));
  return failed.length > 0 || (scaling?.failures ?? 0) > 0 || warmUpFailures > 0 ? 1 : 0;
}

await runBenchmark(main, () => cleanups.run());
