import { setTimeout as sleep } from "node:timers/promises";
import type { DatabaseClient } from "@daycarat/db";
import type { RequestLog } from "@daycarat/logger";

/** How often a process in an outage checks whether its database answers again. */
const RECOVERY_CHECK_MS = 1_000;

/** The database clients in an outage, each until its database answers again. */
const outages = new WeakMap<DatabaseClient, Promise<void>>();

async function untilDatabaseAnswers(db: DatabaseClient): Promise<void> {
  for (;;) {
    // Unreferenced: a process that stops during an outage does not wait for the database.
    await sleep(RECOVERY_CHECK_MS, undefined, { ref: false });
    try {
      await db.$queryRaw`SELECT 1`;
      return;
    } catch {
      // Still down: check again.
    }
  }
}

/**
 * Logs a database outage once, on the request that meets it first, and its end once the
 * database answers again; the requests failing in between add nothing to the log (nor to
 * the error reports made from it).
 */
export function reportDatabaseOutage(db: DatabaseClient, log: RequestLog, error: unknown): void {
  if (outages.has(db)) return;
  const startedAt = Date.now();
  log.error({ err: error }, "database unavailable: answering 503 until it is back");
  const recovery = untilDatabaseAnswers(db).then(() => {
    outages.delete(db);
    log.info({ outageMs: Date.now() - startedAt }, "database available again");
  });
  outages.set(db, recovery);
}
