// Serves the built app (dist/, built first when missing) at http://localhost:5173 (WEB_PORT), as
// `npm start` runs it beside the server and the worker, and stops like them (SIGINT, SIGTERM,
// or the launcher going away).
import { existsSync } from "node:fs";
import path from "node:path";
import { preview } from "vite";
import { loadConfigOrExit } from "@daycarat/config";
import { stopGracefully } from "@daycarat/lifecycle";
import { createLogger } from "@daycarat/logger";
import { webOrigin, webPort } from "../origin.ts";
import { buildWebApp } from "./build-web-app.ts";

/**
 * Vite's preview server exits by itself on SIGTERM (with code 143) and when standard input
 * ends; this process stops as the system's others do instead (stopGracefully: exit 0).
 */
async function withoutOwnExitHandlers<T>(start: () => Promise<T>): Promise<T> {
  const before = { sigterm: process.listeners("SIGTERM"), stdinEnd: process.stdin.listeners("end") };
  const started = await start();
  for (const listener of process.listeners("SIGTERM")) if (!before.sigterm.includes(listener)) process.off("SIGTERM", listener);
  for (const listener of process.stdin.listeners("end")) {
    if (!before.stdinEnd.includes(listener)) process.stdin.off("end", listener as (...args: unknown[]) => void);
  }
  return started;
}

const config = loadConfigOrExit();
const logger = createLogger({ service: "web", ...config.logging });
const root = path.join(import.meta.dirname, "..");

if (!existsSync(path.join(root, "dist", "index.html"))) {
  logger.info("building the web app first");
  await buildWebApp();
}
const server = await withoutOwnExitHandlers(() => preview({ root, logLevel: "warn", preview: { port: webPort(), strictPort: true } }));
stopGracefully({ logger, timeoutMs: config.server.shutdownTimeoutMs }, () => server.close());
logger.info(`web app: ${webOrigin()}`);
