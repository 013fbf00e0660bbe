import closeWithGrace from "close-with-grace";
import { loadConfigOrExit } from "@daycarat/config";
import { createDatabaseClient, migrateDatabase } from "@daycarat/db";
import { createLogger } from "@daycarat/logger";
import { buildServer } from "./app.ts";

const config = loadConfigOrExit();
const logger = createLogger({ service: "server", ...config.logging });
const databaseUrl = config.database.url;

await migrateDatabase({ databaseUrl, logger });
const db = createDatabaseClient(databaseUrl, { maxConnections: config.database.poolSize });
const app = await buildServer({ config, logger, db });

closeWithGrace({ delay: config.server.shutdownTimeoutMs, logger }, async ({ signal, err }) => {
  if (err) logger.error({ err }, "shutting down after an unexpected error");
  else logger.info({ signal }, "shutting down");
  await app.close();
  await db.$disconnect();
});

await app.listen({ host: config.server.host, port: config.server.port });
