// pnpm bench:revocation: what checking an access token against the revoked sign-ins adds to
// each signed-in request, next to what verifying the token already costs. In-process, on a real
// revocation list (LISTEN connection, rows read from Postgres), with 0 and many live revocations.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { startRevocationList, verifyAccessToken } from "@daycarat/api";
import { createDatabaseClient } from "@daycarat/db";
import { createCleanupStack, runBenchmark } from "@daycarat/devkit";
import { createLogger } from "@daycarat/logger";
import { generateJwtSecret, mintAccessToken } from "./tokens.ts";
import { provideBenchmarkDatabase } from "./setup.ts";

const REVOKED_COUNTS = [0, 1_000, 10_000];
const ROUNDS = 5;
const CHECKS_PER_ROUND = 1_000_000;
const VERIFICATIONS_PER_ROUND = 20_000;

const cleanups = createCleanupStack();

/** The median over ROUNDS of the time one call took, in nanoseconds; `round` makes `calls` calls. */
async function nanosecondsPerCall(calls: number, round: (calls: number) => unknown): Promise<number> {
  const rounds: number[] = [];
  for (let index = 0; index <= ROUNDS; index++) {
    const start = performance.now();
    await round(calls);
    // The first round only warms up.
    if (index > 0) rounds.push(((performance.now() - start) * 1e6) / calls);
  }
  return rounds.sort((a, b) => a - b)[Math.floor(rounds.length / 2)] ?? Number.NaN;
}

async function main(): Promise<number> {
  const logger = createLogger({ service: "benchmark", level: "warn", pretty: false });
  const database = await provideBenchmarkDatabase(cleanups, "daycarat_bench_revocation", logger);
  const db = createDatabaseClient(database.url, { maxConnections: 2 });
  cleanups.push(() => db.$disconnect());

  const secret = generateJwtSecret();
  const token = await mintAccessToken(secret, randomUUID());
  const claims = await verifyAccessToken(secret, token);
  const verifyNs = await nanosecondsPerCall(VERIFICATIONS_PER_ROUND, async (calls) => {
    for (let call = 0; call < calls; call++) await verifyAccessToken(secret, token);
  });
  console.log(`verifying the access token (HS256, claims), every signed-in request: ${(verifyNs / 1000).toFixed(1)} µs`);
  console.log("\n| live revocations | re-read (ms) | check per request (ns) | share of the verification |\n| ---: | ---: | ---: | ---: |");

  for (const revoked of REVOKED_COUNTS) {
    await db.accessRevocation.deleteMany();
    const expiresAt = new Date(Date.now() + 15 * 60_000);
    // Half whole users (deleted accounts), half single sign-ins.
    await db.accessRevocation.createMany({
      data: Array.from({ length: revoked }, (_, index) => ({ userId: randomUUID(), familyId: index % 2 ? randomUUID() : null, expiresAt })),
    });
    const readStart = performance.now();
    const revocations = await startRevocationList({ db, databaseUrl: database.url, recheckMs: 60_000, logger });
    const readMs = performance.now() - readStart;
    let revokedSeen = 0;
    const checkNs = await nanosecondsPerCall(CHECKS_PER_ROUND, (calls) => {
      for (let call = 0; call < calls; call++) if (revocations.isRevoked(claims)) revokedSeen++;
    });
    if (revokedSeen > 0) throw new Error("the benchmark's token was found revoked");
    await revocations.close();
    console.log(
      `| ${revoked.toLocaleString("en")} | ${readMs.toFixed(1)} | ${checkNs.toFixed(0)} | ${((checkNs / verifyNs) * 100).toFixed(2)} % |`,
    );
  }
  return 0;
}

await runBenchmark(main, () => cleanups.run());
