import { ensureDatabase } from "./admin.ts";
import { startEmbeddedPostgres, type EmbeddedPostgresOptions } from "./embedded-postgres.ts";

/** The database `npm start` runs the system on when DATABASE_URL is unset. */
export const LOCAL_DATABASE_NAME = "daycarat";

/**
 * Runs `work` against the configured database, or else the embedded development one
 * (reused, and left running, when the system is up). For developer commands: seed, Prisma Studio.
 */
export async function withLocalDatabase<T>(
  databaseUrl: string | undefined,
  embedded: EmbeddedPostgresOptions,
  work: (url: string) => Promise<T>,
): Promise<T> {
  if (databaseUrl) return work(databaseUrl);
  const running = await startEmbeddedPostgres(embedded);
  try {
    await ensureDatabase(running.url, LOCAL_DATABASE_NAME);
    return await work(running.urlFor(LOCAL_DATABASE_NAME));
  } finally {
    if (!running.reused) await running.stop();
  }
}
