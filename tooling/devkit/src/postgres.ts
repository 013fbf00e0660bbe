import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import getPort from "get-port";
import { dropDatabase, ensureDatabase, migrateDatabase } from "@daycarat/db";
import { startEmbeddedPostgres } from "@daycarat/db/embedded";
import type { Logger } from "@daycarat/logger";
import { createCleanupStack } from "./cleanup.ts";

// Throwaway Postgres servers and databases, for test runs and benchmarks.

export interface PostgresServer {
  /** A URL with the right to create databases. */
  url: string;
  /** Where it runs, for a report. */
  description: string;
  /** Stops and deletes an embedded cluster; leaves the server of DATABASE_URL alone. */
  dispose(): Promise<void>;
}

/** `serverUrl` with another database name. */
export function withDatabaseName(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Removes a data folder, and the cluster it links to (as root, clusters of private folders live elsewhere: see startEmbeddedPostgres). */
export async function removeDataDir(dataDir: string): Promise<void> {
  const cluster = await realpath(dataDir).catch(() => dataDir);
  await rm(cluster, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
}

/**
 * The Postgres server `configuredUrl` names when it is set (only databases of the caller's own
 * are made there), else an embedded one in a temporary folder on a free port.
 */
export async function provideThrowawayPostgres(configuredUrl: string | undefined, logger: Logger): Promise<PostgresServer> {
  if (configuredUrl) return { url: configuredUrl, description: "the Postgres server of DATABASE_URL", dispose: () => Promise.resolve() };
  const cleanups = createCleanupStack();
  const dataDir = await mkdtemp(path.join(tmpdir(), "daycarat-pg-"));
  cleanups.push(() => removeDataDir(dataDir), "the temporary cluster folder");
  try {
    const postgres = await startEmbeddedPostgres({ dataDir, port: await getPort(), logger });
    cleanups.push(() => postgres.stop(), "the embedded Postgres");
    return {
      url: postgres.url,
      description: "embedded, in a temporary folder",
      dispose: async () => {
        await cleanups.run();
      },
    };
  } catch (error) {
    await cleanups.run();
    throw error;
  }
}

export interface FreshDatabaseOptions {
  /** Apply the migrations, logging to this logger. */
  migrateWith?: Logger;
  /** Clone this database instead of starting empty. */
  template?: string;
}

/**
 * The database `name` on the server behind `adminUrl`, dropped first when it exists: a run that
 * was interrupted never leaves a half-filled one to the next.
 */
export async function freshDatabase(
  adminUrl: string,
  name: string,
  options: FreshDatabaseOptions = {},
): Promise<{ url: string; drop(): Promise<void> }> {
  await dropDatabase(adminUrl, name);
  await ensureDatabase(adminUrl, name, { template: options.template });
  const url = withDatabaseName(adminUrl, name);
  if (options.migrateWith) await migrateDatabase({ databaseUrl: url, logger: options.migrateWith });
  return { url, drop: () => dropDatabase(adminUrl, name) };
}
