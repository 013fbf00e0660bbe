import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import getPort from "get-port";
import { dropDatabase, ensureDatabase, migrateDatabase } from "@daycarat/db";
import { startEmbeddedPostgres } from "@daycarat/db/embedded";
import type { Logger } from "@daycarat/logger";

export interface PostgresServer {
  /** Where it runs, for the report. */
  description: string;
  /**
   * A new, migrated database of its own: each run starts from empty tables and an empty
   * queue, so nothing one run left behind (jobs, locks, bloat) weighs on the next.
   */
  createDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }>;
  /** Stops and deletes an embedded cluster; leaves the server of DATABASE_URL alone. */
  dispose(): Promise<void>;
}

function withDatabaseName(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function startTemporaryPostgres(logger: Logger): Promise<{ url: string; dispose(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "daycarat-bench-analysis-pg-"));
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  try {
    const postgres = await startEmbeddedPostgres({ dataDir, port: await getPort(), logger });
    return {
      url: postgres.url,
      dispose: async () => {
        await postgres.stop();
        await removeDataDir();
      },
    };
  } catch (error) {
    await removeDataDir();
    throw error;
  }
}

/**
 * The Postgres server DATABASE_URL names when it is set (the benchmark only creates and drops
 * databases of its own there), else an embedded one in a temporary folder on a free port.
 */
export async function providePostgres(configuredUrl: string | undefined, logger: Logger): Promise<PostgresServer> {
  const embedded = configuredUrl ? undefined : await startTemporaryPostgres(logger);
  const serverUrl = configuredUrl ?? embedded?.url ?? "";
  return {
    description: embedded ? "embedded, in a temporary folder" : "the Postgres server of DATABASE_URL",
    async createDatabase(name) {
      // A database left behind by an interrupted run is replaced, never reused half-filled.
      await dropDatabase(serverUrl, name);
      await ensureDatabase(serverUrl, name);
      const url = withDatabaseName(serverUrl, name);
      await migrateDatabase({ databaseUrl: url, logger });
      return { url, drop: () => dropDatabase(serverUrl, name) };
    },
    dispose: () => embedded?.dispose() ?? Promise.resolve(),
  };
}
