// AI analysis throughput: 500 users each submit a complete gem through gems.submit while a
// local OpenAI-compatible model answers every call in 200 ms. The real server and the real
// worker run as processes of their own on a fresh database per setting; the run waits for
// every analysis to reach SUCCEEDED and reports, per AI_CONCURRENCY setting, analyses per
// second, submit→SUCCEEDED percentiles and the most model calls in flight at once. Exits
// non-zero when any analysis did not succeed (or a setting ran out of time). See BENCHMARKS.md.
//
//   pnpm bench:analysis                 (from the repository root)
//
// Knobs (defaults are the documented benchmark): BENCH_CONCURRENCIES (comma-separated
// AI_CONCURRENCY settings, "8,32"), BENCH_USERS (500), BENCH_GEMS_PER_USER (1; e.g. 50 users
// × 10 gems shows the one-analysis-per-user rule at work), BENCH_MODEL_LATENCY_MS (200),
// BENCH_SUBMIT_CONNECTIONS (requests in flight while submitting, 50), BENCH_TIMEOUT_SECONDS
// (per setting, 300). DATABASE_URL: a Postgres server to use (the benchmark creates and drops
// databases of its own there) instead of an embedded one.
import { fileURLToPath } from "node:url";
import { createDatabaseClient, type DatabaseClient } from "@daycarat/db";
import { analyzeGemJob } from "@daycarat/jobs";
import { handlerTimes } from "@daycarat/jobs/testing";
import { createLogger } from "@daycarat/logger";
import { startModelServer } from "./model-server.ts";
import {
  createCleanupStack,
  freshDatabase,
  integerListSetting,
  integerSetting,
  machineFacts,
  treeCpuMs,
  provideThrowawayPostgres,
  runBenchmark,
  startServerProcess,
  startWorkerProcess,
  type FakeOpenAI,
  type PostgresServer,
} from "@daycarat/devkit";
import { systemEnvironment } from "./system-environment.ts";
import { latencyFigures, printFiguresTable, printHeading, printRunLine, successLatencies, type RunFigures } from "./report.ts";
import { seedGems, signInUsers, submitAll, waitUntilSettled, type BenchmarkUser } from "./workload.ts";

const WARM_UP_TIMEOUT_MS = 60_000;
/** Concurrent auth.dev calls while signing the users in (not measured). */
const SIGN_IN_CONNECTIONS = 20;

const SERVER_MAIN = fileURLToPath(import.meta.resolve("@daycarat/server/main"));
const WORKER_MAIN = fileURLToPath(import.meta.resolve("@daycarat/worker/main"));

const settings = {
  concurrencies: integerListSetting("BENCH_CONCURRENCIES", [8, 32]),
  users: integerSetting("BENCH_USERS", 500),
  gemsPerUser: integerSetting("BENCH_GEMS_PER_USER", 1),
  modelLatencyMs: integerSetting("BENCH_MODEL_LATENCY_MS", 200, 0),
  submitConnections: integerSetting("BENCH_SUBMIT_CONNECTIONS", 50),
  timeoutMs: integerSetting("BENCH_TIMEOUT_SECONDS", 300) * 1000,
};

/** Undone in reverse order: at the end of each setting, on the way out, or on Ctrl+C. */
const cleanups = createCleanupStack();
const logger = createLogger({ service: "benchmark", level: "warn", pretty: false });

function describeRun(postgres: PostgresServer): void {
  console.log(
    `machine: ${machineFacts()}; ` +
      `Postgres ${postgres.description}; server, worker, Postgres, model and load generator share the machine`,
  );
  console.log(
    `workload: ${settings.users} users × ${settings.gemsPerUser} gem(s), submitted ${settings.submitConnections} at a time; ` +
      `the model answers every call after ${settings.modelLatencyMs} ms; AI_CONCURRENCY ${settings.concurrencies.join(" then ")}`,
  );
}

/**
 * One analysis end to end before the measured ones: the worker has no health endpoint, so its
 * first success is the proof that it listens, and its code paths are warm when timing starts.
 */
async function warmUp(serverUrl: string, db: DatabaseClient, keepWaiting: () => boolean): Promise<void> {
  const signedIn = await signInUsers(serverUrl, "warm-up", 1, 1);
  const users = await seedGems(db, signedIn, 1);
  const { submissions, errors } = await submitAll(users, 1);
  const settled = await waitUntilSettled(
    db,
    submissions.map((submission) => submission.analysisId),
    {
      deadline: Date.now() + WARM_UP_TIMEOUT_MS,
      keepWaiting,
    },
  );
  const outcome = [...settled.values()][0];
  if (errors.length > 0) throw new Error(`the warm-up submission failed: ${errors.join("; ")}`);
  if (outcome?.status !== "SUCCEEDED") {
    throw new Error(`the warm-up analysis did not succeed: ${outcome?.failureReason ?? "no answer in time"}`);
  }
}

async function measure(
  concurrency: number,
  users: BenchmarkUser[],
  context: { db: DatabaseClient; model: FakeOpenAI; deadline: number; keepWaiting: () => boolean; workerPid: number },
): Promise<RunFigures> {
  const callsBefore = context.model.chats.length;
  const cpuBefore = treeCpuMs(context.workerPid);
  const submitted = await submitAll(users, settings.submitConnections);
  for (const error of submitted.errors) console.error(`FAILED ${error}`);
  const analysisIds = submitted.submissions.map((submission) => submission.analysisId);
  const settled = await waitUntilSettled(context.db, analysisIds, context);
  for (const [id, outcome] of settled)
    if (outcome.status === "FAILED") console.error(`FAILED analysis ${id}: ${outcome.failureReason ?? "?"}`);

  const workerCpuMs = treeCpuMs(context.workerPid) - cpuBefore;
  const latencies = successLatencies(submitted.submissions, settled);
  const firstSubmit = Math.min(...submitted.submissions.map((submission) => submission.submittedAt));
  const successes = [...settled.values()].filter((outcome) => outcome.status === "SUCCEEDED");
  const lastSuccess = Math.max(...successes.map((outcome) => outcome.finishedAt));
  const totalMs = latencies.length > 0 ? lastSuccess - firstSubmit : 0;
  const expected = users.reduce((sum, user) => sum + user.episodeIds.length, 0);
  const jobs = await handlerTimes(context.db, analyzeGemJob, {});
  const modelCalls = context.model.chats.length - callsBefore;
  return {
    concurrency,
    submitted: expected,
    succeeded: latencies.length,
    failures: expected - latencies.length,
    totalMs,
    analysesPerSecond: totalMs > 0 ? latencies.length / (totalMs / 1000) : 0,
    submitMs: submitted.durationMs,
    ...latencyFigures(latencies),
    modelCalls,
    maxInFlight: context.model.maxInFlight(),
    jobP50Ms: jobs.p50Ms,
    jobP95Ms: jobs.p95Ms,
    // One model call per analysis unless answers were retried; each waited the model's latency.
    overheadMs: jobs.p50Ms - (settings.modelLatencyMs * modelCalls) / Math.max(1, expected),
    workerCpuMsPerAnalysis: latencies.length > 0 ? workerCpuMs / latencies.length : 0,
  };
}

/** One AI_CONCURRENCY setting on a database, model, server and worker of its own, all gone afterwards. */
async function runSetting(postgres: PostgresServer, concurrency: number): Promise<RunFigures> {
  const depth = cleanups.depth();
  try {
    printHeading(`AI_CONCURRENCY=${concurrency}`);
    const database = await freshDatabase(postgres.url, `daycarat_bench_analysis_${concurrency}`, { migrateWith: logger });
    cleanups.push(() => database.drop());
    const model = await startModelServer(settings.modelLatencyMs);
    cleanups.push(() => model.close());
    const system = {
      databaseUrl: database.url,
      modelBaseUrl: model.baseUrl,
      aiConcurrency: concurrency,
      aiDailyQuota: settings.gemsPerUser + 10,
    };
    const server = await startServerProcess(SERVER_MAIN, systemEnvironment(system));
    cleanups.push(() => server.stop());
    const worker = startWorkerProcess(WORKER_MAIN, systemEnvironment(system));
    cleanups.push(() => worker.stop());
    const db = createDatabaseClient(database.url, { maxConnections: 4 });
    cleanups.push(() => db.$disconnect());
    const keepWaiting = () => !worker.hasExited();

    await warmUp(server.url, db, keepWaiting);
    const signedIn = await signInUsers(server.url, `c${concurrency}`, settings.users, SIGN_IN_CONNECTIONS);
    const users = await seedGems(db, signedIn, settings.gemsPerUser);
    console.log(`warmed up; ${users.length} users signed in and seeded; submitting…`);
    const figures = await measure(concurrency, users, {
      db,
      model,
      deadline: Date.now() + settings.timeoutMs,
      keepWaiting,
      workerPid: worker.child.pid ?? 0,
    });
    if (worker.hasExited()) console.error("FAILED the worker exited during the run");
    else if (figures.failures > 0)
      console.error(`FAILED ${figures.failures} analyses did not succeed within ${settings.timeoutMs / 1000} s`);
    printRunLine(figures);
    return figures;
  } finally {
    await cleanups.run(depth);
  }
}

async function main(): Promise<number> {
  const postgres = await provideThrowawayPostgres(process.env.DATABASE_URL, logger);
  cleanups.push(() => postgres.dispose());
  describeRun(postgres);

  const rows: RunFigures[] = [];
  for (const concurrency of settings.concurrencies) rows.push(await runSetting(postgres, concurrency));

  printHeading("results");
  printFiguresTable(rows);
  return rows.some((row) => row.failures > 0) ? 1 : 0;
}

await runBenchmark(main, () => cleanups.run());
