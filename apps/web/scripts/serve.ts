// Serves the built app (dist/, built first when missing) at http://localhost:5173 (WEB_PORT), as
// `npm start` runs it beside the server and the worker, and stops like them (SIGINT, SIGTERM,
// or the launcher going away).
import { existsSync } from "node:fs";
import path from "node:path";
import { loadConfigOrExit } from "@daycarat/config";
import { stopGracefully } from "@daycarat/lifecycle";
import { createLogger } from "@daycarat/logger";
import { webOrigin, webPort } from "../origin.ts";
import { buildWebApp } from "./build-web-app.ts";
import { listenWebApp } from "./static-server.ts";

const config = loadConfigOrExit();
const logger = createLogger({ service: "web", ...config.logging });
const dist = path.join(import.meta.dirname, "..", "dist");

if (!existsSync(path.join(dist, "index.html"))) {
  logger.info("building the web app first");
  await buildWebApp();
}
const server = await listenWebApp(dist, webPort());
stopGracefully({ logger, timeoutMs: config.server.shutdownTimeoutMs }, () => server.close());
logger.info(`web app: ${webOrigin()}`);
