import type { AppConfig } from "@daycarat/config";
import { startEmbeddedPostgres } from "@daycarat/db/embedded";
import { freshDatabase } from "@daycarat/devkit";
import { createLogger, withoutPassword } from "@daycarat/logger";

export interface DemoDatabase {
  /** The demo database's connection string, for the server and the worker. */
  url: string;
  /** Where it lives, in words. */
  description: string;
  /** What to stop at the end, if the demo started anything for it. */
  stop?: { what: string; run: () => Promise<void> };
}

/**
 * The demo's own database, `name`, created fresh on the server DATABASE_URL names, or else on
 * the embedded Postgres `npm start` uses (reused when it runs, and then left running). Other
 * databases on the server are not touched, so a running system carries on undisturbed.
 */
export async function openDemoDatabase(database: AppConfig["database"], name: string): Promise<DemoDatabase> {
  if (database.url) {
    const { url } = await freshDatabase(database.url, name);
    return { url, description: `database ${name} on the server DATABASE_URL names (${withoutPassword(url)})` };
  }
  const { embedded } = database;
  const logger = createLogger({ service: "demo-database", level: "warn", pretty: false });
  const postgres = await startEmbeddedPostgres({ ...embedded, logger });
  const stop = postgres.reused ? undefined : { what: "the embedded Postgres", run: () => postgres.stop() };
  try {
    const { url } = await freshDatabase(postgres.url, name);
    const cluster = postgres.reused
      ? `the embedded Postgres already running on port ${embedded.port} (npm start's; it stays up)`
      : `the embedded Postgres in ${embedded.dataDir}, port ${embedded.port}`;
    return { url, description: `database ${name} on ${cluster}`, stop };
  } catch (error) {
    await stop?.run();
    throw error;
  }
}
