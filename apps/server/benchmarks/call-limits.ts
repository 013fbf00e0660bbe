// pnpm bench:limits: what the limits on abuse add to each request, in-process: admitting a
// signed-in call, a signed-out one and a batch of 20 (counted in memory), and a sign-in (one
// upsert on the rate_limit_counters table of a fresh embedded Postgres, or of DATABASE_URL).
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { FastifyReply, FastifyRequest } from "fastify";
import { loadConfig } from "@daycarat/config";
import { createDatabaseClient } from "@daycarat/db";
import { createCleanupStack, runBenchmark, UNREACHED_RATE_LIMITS } from "@daycarat/devkit";
import { identifyCaller } from "@daycarat/api";
import { createLogger } from "@daycarat/logger";
import { createCallLimits, type RequestedCall } from "../src/plugins/rate-limits.ts";
import { generateJwtSecret, mintAccessToken } from "./tokens.ts";
import { provideBenchmarkDatabase } from "./setup.ts";

const ROUNDS = 5;
const MEMORY_CALLS_PER_ROUND = 100_000;
const SIGN_INS_PER_ROUND = 2_000;

const cleanups = createCleanupStack();

/** The median over ROUNDS of the time one call took, in microseconds, after a warm-up round. */
async function microsecondsPerCall(calls: number, call: () => Promise<void>): Promise<number> {
  const rounds: number[] = [];
  for (let index = 0; index <= ROUNDS; index++) {
    const start = performance.now();
    for (let made = 0; made < calls; made++) await call();
    if (index > 0) rounds.push(((performance.now() - start) * 1e3) / calls);
  }
  return rounds.sort((a, b) => a - b)[Math.floor(rounds.length / 2)] ?? Number.NaN;
}

async function main(): Promise<number> {
  const logger = createLogger({ service: "benchmark", level: "warn", pretty: false });
  const database = await provideBenchmarkDatabase(cleanups, "daycarat_bench_limits", logger);
  const db = createDatabaseClient(database.url, { maxConnections: 2 });
  cleanups.push(() => db.$disconnect());

  const secret = generateJwtSecret();
  const config = loadConfig({
    NODE_ENV: "test",
    JWT_SECRET: secret,
    ...UNREACHED_RATE_LIMITS,
  });
  const admit = createCallLimits({ config, db }, logger);
  const reply = { header: () => reply } as unknown as FastifyReply;
  const request = { ip: "203.0.113.1", log: logger } as unknown as FastifyRequest;
  const signedIn = await identifyCaller(secret, `Bearer ${await mintAccessToken(secret, randomUUID())}`);
  const signedOut = await identifyCaller(secret, undefined);
  const query: RequestedCall = { procedure: "me.get", mutation: false };
  const signIn: RequestedCall = { procedure: "auth.dev", mutation: true };
  const batch = Array<RequestedCall>(20).fill(query);

  const figures: [string, number][] = [
    ["a signed-in call", await microsecondsPerCall(MEMORY_CALLS_PER_ROUND, () => admit(request, reply, [query], signedIn))],
    ["a signed-out call", await microsecondsPerCall(MEMORY_CALLS_PER_ROUND, () => admit(request, reply, [query], signedOut))],
    ["a signed-in batch of 20 calls", await microsecondsPerCall(MEMORY_CALLS_PER_ROUND, () => admit(request, reply, batch, signedIn))],
    ["a sign-in (one upsert in Postgres)", await microsecondsPerCall(SIGN_INS_PER_ROUND, () => admit(request, reply, [signIn], signedOut))],
  ];
  console.log("\n| request | admitting it (µs) |\n| --- | ---: |");
  for (const [what, microseconds] of figures) console.log(`| ${what} | ${microseconds.toFixed(1)} |`);
  return 0;
}

await runBenchmark(main, () => cleanups.run());
