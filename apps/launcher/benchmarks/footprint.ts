// Start-up time and memory of the system's processes: spawn → /readyz of the server (several
// runs, median and max), the resident memory (RSS) of the server and the worker idle, of the
// server after a bounded load, and of every process when run through the launcher as `npm start`
// does. Everything listens on 127.0.0.1 and ends within about a minute. See BENCHMARKS.md.
//
//   pnpm bench:footprint                (from the repository root)
//
// Knobs: BENCH_STARTUP_RUNS (5), BENCH_LOAD_SECONDS (10), BENCH_RATE (1000 req/s, fixed rate
// over 20 connections), BENCH_SETTLE_SECONDS (3: idle time before an idle figure),
// WEB_CONCURRENCY (the server's processes; unset: one per core, as in production),
// BENCH_BUILT (1: the server and the worker as built by `pnpm build`, which npm start runs; 0: from
// their TypeScript sources, for a before-and-after; the launcher's part always runs the built ones),
// BENCH_HEAP_LIMITS (1: the server and the worker start with the launcher's heap limits; 0: V8's
// defaults, for a before-and-after; a cluster primary still gives its processes the limits),
// BENCH_MALLOC (1: with the launcher's malloc settings, GLIBC_TUNABLES; 0: glibc's defaults, for
// the same purpose; a cluster primary still gives its processes the settings).
// DATABASE_URL: a Postgres server to use instead of an embedded one.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { median } from "es-toolkit/math/median";
import {
  createCleanupStack,
  freePort,
  freshDatabase,
  integerSetting,
  machineFacts,
  describeProcessSettings,
  provideThrowawayPostgres,
  runBenchmark,
  startNodeProcess,
  UNREACHED_RATE_LIMITS,
  waitUntil,
  treeCpuMs,
  type NodeProcess,
} from "@daycarat/devkit";
import { heapLimitFlags, mallocEnvironment } from "@daycarat/lifecycle";
import { createLogger } from "@daycarat/logger";
import { runLoad } from "@daycarat/server/benchmarks/load";
import { SCENARIOS } from "@daycarat/server/benchmarks/scenarios";
import { seedDatabase } from "@daycarat/server/benchmarks/seed";
import { generateJwtSecret, mintAccessToken } from "@daycarat/server/benchmarks/tokens";

const BENCHMARK_DATABASE = "daycarat_footprint";
const LOADED_SCENARIO = "episodes.list — first page";

const settings = {
  startupRuns: integerSetting("BENCH_STARTUP_RUNS", 5),
  loadSeconds: integerSetting("BENCH_LOAD_SECONDS", 10),
  rate: integerSetting("BENCH_RATE", 1_000),
  settleSeconds: integerSetting("BENCH_SETTLE_SECONDS", 3, 0),
  heapLimits: integerSetting("BENCH_HEAP_LIMITS", 1, 0) > 0,
  built: integerSetting("BENCH_BUILT", 1, 0) > 0,
  malloc: integerSetting("BENCH_MALLOC", 1, 0) > 0,
};
/** As `npm start` runs them (the bundles of `pnpm build`), or the server and the worker from their sources. */
const ENTRIES = {
  server: fileURLToPath(import.meta.resolve(settings.built ? "@daycarat/server/dist" : "@daycarat/server/main")),
  worker: fileURLToPath(import.meta.resolve(settings.built ? "@daycarat/worker/dist" : "@daycarat/worker/main")),
  launcher: fileURLToPath(new URL("../dist/main.mjs", import.meta.url)),
};
/** Node's options for the server and the worker, as the launcher starts them. */
const nodeArgs = settings.heapLimits ? heapLimitFlags() : [];
/** …and their malloc settings. */
const mallocEnv = settings.malloc ? mallocEnvironment() : {};

const cleanups = createCleanupStack();
const logger = createLogger({ service: "benchmark", level: "warn", pretty: false });

/** A process and its descendants, each with its resident memory. */
interface ProcessMemory {
  pid: number;
  depth: number;
  name: string;
  rssMb: number;
}

async function procText(pid: number, file: string): Promise<string> {
  return readFile(`/proc/${pid}/${file}`, "utf8").catch(() => "");
}

async function rssMb(pid: number): Promise<number> {
  const match = /VmRSS:\s+(\d+) kB/.exec(await procText(pid, "status"));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** What the process runs, shortly: the entry point's path from apps/ on. */
async function processName(pid: number): Promise<string> {
  const args = (await procText(pid, "cmdline")).split("\0").filter(Boolean);
  const entry = args.find((arg) => arg.includes("/apps/")) ?? args.join(" ");
  return entry.replace(/^.*\/apps\//, "");
}

async function processTree(pid: number, depth = 0): Promise<ProcessMemory[]> {
  const children = (await procText(pid, `task/${pid}/children`)).split(" ").filter(Boolean).map(Number);
  const own: ProcessMemory = { pid, depth, name: await processName(pid), rssMb: await rssMb(pid) };
  const below = await Promise.all(children.map((child) => processTree(child, depth + 1)));
  return [own, ...below.flat()];
}

function printTree(title: string, tree: ProcessMemory[]): void {
  const total = tree.reduce((sum, entry) => sum + entry.rssMb, 0);
  console.log(`${title}: ${total.toFixed(0)} MB RSS in ${tree.length} process(es)`);
  for (const entry of tree) {
    console.log(`  ${"  ".repeat(entry.depth)}${entry.name} (pid ${entry.pid}): ${entry.rssMb.toFixed(0)} MB`);
  }
}

/** Polls /readyz every 10 ms (the devkit's wait polls every 100 ms: too coarse for a start-up time); patient, for a loaded machine. */
async function waitReady(url: string, process: NodeProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (process.hasExited()) throw new Error(`the server exited before ${url} answered:\n${process.output()}`);
    const response = await fetch(url).catch(() => undefined);
    if (response?.status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await sleep(10);
  }
}

async function startServer(env: NodeJS.ProcessEnv): Promise<{ server: NodeProcess; url: string; startupMs: number; startupCpuMs: number }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const server = startNodeProcess(ENTRIES.server, {
    env: { ...env, ...mallocEnv, HOST: "127.0.0.1", PORT: String(port) },
    nodeArgs,
    keepChars: 20_000,
  });
  cleanups.push(() => server.stop());
  await waitReady(`${url}/readyz`, server);
  const startupMs = performance.now() - started;
  return { server, url, startupMs, startupCpuMs: treeCpuMs(server.child.pid ?? 0) };
}

async function measureStartup(env: NodeJS.ProcessEnv): Promise<void> {
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let run = 0; run < settings.startupRuns; run++) {
    const { server, startupMs, startupCpuMs } = await startServer(env);
    times.push(startupMs);
    cpuTimes.push(startupCpuMs);
    await server.stop();
  }
  const list = (values: number[]) => values.map((value) => value.toFixed(0)).join(", ");
  console.log(`server spawn → /readyz: median ${median(times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms (${list(times)})`);
  console.log(
    `  CPU used by then, all its processes: median ${median(cpuTimes).toFixed(0)} ms, max ${Math.max(...cpuTimes).toFixed(0)} ms (${list(cpuTimes)})`,
  );
}

async function measureServer(env: NodeJS.ProcessEnv, userIds: string[], jwtSecret: string): Promise<void> {
  const { server, url } = await startServer(env);
  await sleep(settings.settleSeconds * 1000);
  const pid = server.child.pid ?? 0;
  printTree("server idle", await processTree(pid));
  const scenario = SCENARIOS.find((candidate) => candidate.name === LOADED_SCENARIO);
  if (!scenario) throw new Error(`no scenario named ${LOADED_SCENARIO}`);
  const users = await Promise.all(userIds.slice(0, 50).map(async (id) => ({ id, accessToken: await mintAccessToken(jwtSecret, id) })));
  const figures = await runLoad(scenario, {
    serverUrl: url,
    users,
    rate: settings.rate,
    connections: 20,
    durationSeconds: settings.loadSeconds,
    pacing: "burst",
  });
  console.log(
    `load: ${LOADED_SCENARIO}, ${settings.loadSeconds} s at up to ${settings.rate} req/s: ${figures.requestsPerSecond.toFixed(0)} req/s, ` +
      `p99 ${figures.p99Ms} ms, ${figures.non2xx} non-2xx, ${figures.errors} errors`,
  );
  printTree("server after the load", await processTree(pid));
  await server.stop();
  if (figures.non2xx > 0 || figures.errors > 0) throw new Error("the load met failed requests");
}

async function measureWorker(env: NodeJS.ProcessEnv): Promise<void> {
  const worker = startNodeProcess(ENTRIES.worker, { env: { ...env, ...mallocEnv }, nodeArgs, keepChars: 20_000 });
  cleanups.push(() => worker.stop());
  await waitUntil(() => (worker.output().includes('"msg":"worker started"') ? true : undefined), { what: "the worker to start" });
  await sleep(settings.settleSeconds * 1000);
  printTree("worker idle", await processTree(worker.child.pid ?? 0));
  await worker.stop();
}

async function measureLauncher(env: NodeJS.ProcessEnv): Promise<void> {
  const port = await freePort();
  const launcher = startNodeProcess(ENTRIES.launcher, {
    env: { ...env, HOST: "127.0.0.1", PORT: String(port), WEB_PORT: String(await freePort()) },
    keepChars: 20_000,
  });
  cleanups.push(() => launcher.stop());
  await waitReady(`http://127.0.0.1:${port}/readyz`, launcher);
  await waitUntil(() => (launcher.output().includes('"msg":"worker started"') ? true : undefined), { what: "the worker to start" });
  await sleep(settings.settleSeconds * 1000);
  printTree("via the launcher, idle", await processTree(launcher.child.pid ?? 0));
  await launcher.stop();
}

async function main(): Promise<number> {
  const postgres = await provideThrowawayPostgres(process.env.DATABASE_URL, logger);
  cleanups.push(() => postgres.dispose(), "the Postgres server");
  const database = await freshDatabase(postgres.url, BENCHMARK_DATABASE, { migrateWith: logger });
  cleanups.push(() => database.drop(), "the benchmark database");
  const seeded = await seedDatabase(database.url, { users: 200, episodesPerUser: 50, finalizedShare: 0.35, seed: 20_260_101 });
  console.log(`machine: ${machineFacts()}; Postgres ${postgres.description}, on the same machine as the load generator`);
  console.log(`WEB_CONCURRENCY: ${process.env.WEB_CONCURRENCY ?? "unset (one process per core)"}`);
  console.log(
    `server and worker started with: ${describeProcessSettings(nodeArgs, mallocEnv)}, ${settings.built ? "built (dist/)" : "from their TypeScript sources"}`,
  );

  const jwtSecret = generateJwtSecret();
  // As in production: JSON logs, warnings only.
  const env = {
    NODE_ENV: "production",
    DATABASE_URL: database.url,
    JWT_SECRET: jwtSecret,
    LOG_LEVEL: "warn",
    LOG_FORMAT: "json",
    ...UNREACHED_RATE_LIMITS,
  };
  await measureStartup(env);
  await measureServer(env, seeded.userIds, jwtSecret);
  await measureWorker({ ...env, LOG_LEVEL: "info" });
  await measureLauncher({ ...env, LOG_LEVEL: "info" });
  return 0;
}

await runBenchmark(main, () => cleanups.run());
