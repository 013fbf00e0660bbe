// pnpm bench:profile: where the project's server spends its CPU under load. The server (one
// process, WEB_CONCURRENCY=1) runs under `node --cpu-prof`; after a warm-up, one scenario is
// sent as fast as it is answered; the server then stops, writes its profile, and the samples
// taken during the load are counted by package (cpu-profile.ts): self time, top groups first,
// each share also as CPU ms per request of the server's CPU during the load (/proc).
//
// Knobs (defaults: the documented run, about 1 minute):
//   BENCH_USERS=200, BENCH_EPISODES_PER_USER=200, BENCH_TOKEN_USERS=100, BENCH_CONNECTIONS=32
//   BENCH_WARMUP_SECONDS=3, BENCH_DURATION_SECONDS=15   the profiled load
//   BENCH_SCENARIOS=episodes.list first page             the first bench:ceiling scenario it names
//   BENCH_PATHS=trpc                                     the first of trpc, rest
//   BENCH_PROFILE_TOP=12                                 groups listed
//   BENCH_PROFILE_KEEP=                                  a folder to copy the .cpuprofile files to (for DevTools)
//   BENCH_PROFILE_TRACING=                               1: tracing on, exporting to a local OTLP receiver
//   DATABASE_URL                                         a Postgres server instead of an embedded one
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  choiceListSetting,
  cpuMsByProcess,
  cpuSpent,
  createCleanupStack,
  integerSetting,
  listenOtlpReceiver,
  runBenchmark,
} from "@daycarat/devkit";
import { runLoad } from "../load.ts";
import { printFiguresLine, printHeading } from "../report.ts";
import { chooseUsers, provideSeededDatabase, selectedScenarios, startProjectServer } from "../setup.ts";
import { generateJwtSecret } from "../tokens.ts";
import { formatProfileSummary, packageJsonNames, summariseProfiles, type CpuProfile } from "./cpu-profile.ts";
import { API_PATHS } from "./summary.ts";
import { CEILING_SCENARIOS, FIRST_PAGE, PROJECT_PATHS } from "./targets.ts";

const settings = {
  users: integerSetting("BENCH_USERS", 200),
  episodesPerUser: integerSetting("BENCH_EPISODES_PER_USER", 200),
  tokenUsers: integerSetting("BENCH_TOKEN_USERS", 100),
  connections: integerSetting("BENCH_CONNECTIONS", 32),
  warmupSeconds: integerSetting("BENCH_WARMUP_SECONDS", 3, 0),
  durationSeconds: integerSetting("BENCH_DURATION_SECONDS", 15),
  path: choiceListSetting("BENCH_PATHS", API_PATHS)[0] ?? "trpc",
  top: integerSetting("BENCH_PROFILE_TOP", 12),
  keepIn: process.env.BENCH_PROFILE_KEEP,
  tracing: process.env.BENCH_PROFILE_TRACING === "1",
};

const cleanups = createCleanupStack();

/** The profile's clock: process.hrtime() in microseconds. */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

async function readProfiles(folder: string): Promise<CpuProfile[]> {
  const files = (await readdir(folder)).filter((file) => file.endsWith(".cpuprofile"));
  return Promise.all(files.map(async (file) => JSON.parse(await readFile(path.join(folder, file), "utf8")) as CpuProfile));
}

/** Tracing on, exporting to a receiver of its own. */
async function tracingEnv(): Promise<NodeJS.ProcessEnv> {
  const receiver = await listenOtlpReceiver();
  cleanups.push(() => receiver.close());
  return { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url };
}

async function main(): Promise<number> {
  const target = selectedScenarios(CEILING_SCENARIOS)[0] ?? FIRST_PAGE;
  const database = await provideSeededDatabase(cleanups, {
    databaseName: "daycarat_bench_profile",
    users: settings.users,
    episodesPerUser: settings.episodesPerUser,
    describeLoad:
      `${target.name} through ${settings.path}, ${settings.connections} connections as fast as answered, ` +
      `${settings.durationSeconds} s profiled after ${settings.warmupSeconds} s of warm-up` +
      (settings.tracing ? ", tracing on (OTLP to a local receiver)" : ""),
  });
  const profiles = await mkdtemp(path.join(tmpdir(), "daycarat-profile-"));
  cleanups.push(() => rm(profiles, { recursive: true, force: true }), "the CPU profiles");
  const jwtSecret = generateJwtSecret();
  const nodeOptions = [process.env.NODE_OPTIONS, "--cpu-prof", `--cpu-prof-dir=${profiles}`].filter(Boolean).join(" ");
  const server = await startProjectServer(cleanups, {
    databaseUrl: database.url,
    jwtSecret,
    env: { WEB_CONCURRENCY: "1", NODE_OPTIONS: nodeOptions, ...(settings.tracing ? await tracingEnv() : {}) },
  });

  printHeading("load");
  const load = {
    serverUrl: server.url,
    users: await chooseUsers(database.userIds, jwtSecret, settings.tokenUsers),
    connections: settings.connections,
    durationSeconds: settings.durationSeconds,
    pacing: "burst" as const,
    path: PROJECT_PATHS[settings.path],
  };
  if (settings.warmupSeconds > 0) await runLoad(target.scenario, load, settings.warmupSeconds);
  const pid = server.child.pid ?? Number.NaN;
  const cpuBefore = cpuMsByProcess(pid);
  const window = { startUs: nowUs(), endUs: 0 };
  const figures = await runLoad(target.scenario, load);
  window.endUs = nowUs();
  const cpu = cpuSpent(cpuBefore, cpuMsByProcess(pid));
  printFiguresLine(figures);
  // The profile is written as the process exits.
  await server.stop();
  if (settings.keepIn) await cp(profiles, settings.keepIn, { recursive: true });

  const written = await readProfiles(profiles);
  if (written.length === 0) throw new Error("the server wrote no CPU profile (did it exit on its own after SIGTERM?)");
  const summary = summariseProfiles(written, packageJsonNames(), window);
  const cpuMsPerRequest = cpu.totalMs / Math.max(1, figures.requests);
  printHeading(`CPU profile: self time by package during the load (${written.length} process, ${figures.requests} requests)`);
  console.log(
    `server CPU during the load (/proc, all threads): ${cpu.totalMs.toFixed(0)} ms, ${cpuMsPerRequest.toFixed(2)} ms per request`,
  );
  for (const line of formatProfileSummary(summary, settings.top, cpuMsPerRequest)) console.log(line);
  return figures.non2xx + figures.errors > 0 ? 1 : 0;
}

await runBenchmark(main, () => cleanups.run());
