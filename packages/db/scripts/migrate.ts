// pnpm db:migrate: applies pending migrations through DATABASE_DIRECT_URL (else DATABASE_URL; the apps also do this at start).
import { loadDatabaseConfigOrExit } from "@daycarat/config";
import { createLogger } from "@daycarat/logger";
import { migrateDatabase } from "../src/index.ts";

const config = loadDatabaseConfigOrExit();
const logger = createLogger({ service: "migrations", ...config.logging });
const applied = await migrateDatabase({ databaseUrl: config.database.directUrl, logger });
logger.info({ applied }, applied.length === 0 ? "database is up to date" : `applied ${applied.length} migrations`);
