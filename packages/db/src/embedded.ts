// Development and test databases: an embedded Postgres run by the binaries' own pg_ctl.
// Kept out of the package's main entry, which the server and the worker import.
export { EmbeddedPostgresError, startEmbeddedPostgres, type EmbeddedPostgresOptions, type RunningPostgres } from "./embedded-postgres.ts";
export { LOCAL_DATABASE_NAME, withLocalDatabase } from "./local-database.ts";
// The launcher creates the local database with it, without loading the Prisma client.
export { ensureDatabase } from "./admin.ts";
