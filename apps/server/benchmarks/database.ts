import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import getPort from "get-port";
import { dropDatabase, ensureDatabase, migrateDatabase } from "@daycarat/db";
import { startEmbeddedPostgres } from "@daycarat/db/embedded";
import type { Logger } from "@daycarat/logger";

/** The database the benchmark fills; it never touches the one DATABASE_URL names. */
const BENCHMARK_DATABASE = "daycarat_benchmark";

export interface BenchmarkDatabase {
  url: string;
  /** Where it runs, for the report. */
  description: string;
  /** Drops the database, and stops and deletes an embedded cluster. */
  dispose(): Promise<void>;
}

function withDatabaseName(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A fresh, migrated database: on the server DATABASE_URL names when it is set (a database
 * of its own there, so 200,000 sample episodes never land in real data), else on an
 * embedded Postgres in a temporary folder on a free port, removed afterwards.
 */
export async function provisionDatabase(configuredUrl: string | undefined, logger: Logger): Promise<BenchmarkDatabase> {
  const cleanups: (() => Promise<void>)[] = [];
  const dispose = async () => {
    for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) await cleanup();
  };
  try {
    let serverUrl = configuredUrl;
    let description = "the Postgres server of DATABASE_URL";
    if (!serverUrl) {
      const dataDir = await mkdtemp(path.join(tmpdir(), "daycarat-bench-pg-"));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      const postgres = await startEmbeddedPostgres({ dataDir, port: await getPort(), logger });
      cleanups.push(() => postgres.stop());
      serverUrl = postgres.url;
      description = "embedded, in a temporary folder";
    }
    const adminUrl = serverUrl;
    // A database left behind by an interrupted run is replaced, never reused half-filled.
    await dropDatabase(adminUrl, BENCHMARK_DATABASE);
    await ensureDatabase(adminUrl, BENCHMARK_DATABASE);
    cleanups.push(() => dropDatabase(adminUrl, BENCHMARK_DATABASE));
    const url = withDatabaseName(adminUrl, BENCHMARK_DATABASE);
    await migrateDatabase({ databaseUrl: url, logger });
    return { url, description, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
