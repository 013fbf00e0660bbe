// pnpm db:studio: Prisma Studio on DATABASE_URL, or on the embedded development database
// (started for the occasion when the system is not running).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { loadConfig } from "@daycarat/config";
import { createLogger } from "@daycarat/logger";
import { withLocalDatabase } from "../src/embedded.ts";

const PRISMA_CONFIG = fileURLToPath(new URL("../../../prisma.config.ts", import.meta.url));
const STUDIO_PORT = "5555";

const config = loadConfig();
const logger = createLogger({ service: "studio", ...config.logging });
await withLocalDatabase(config.database.url, { ...config.database.embedded, logger }, async (databaseUrl) => {
  logger.info(`Prisma Studio on http://localhost:${STUDIO_PORT} (Ctrl+C stops it)`);
  const studio = spawn("prisma", ["studio", "--config", PRISMA_CONFIG, "--port", STUDIO_PORT, "--browser", "none"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: "inherit",
  });
  await once(studio, "exit");
});
