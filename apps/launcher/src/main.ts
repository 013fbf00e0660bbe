// Runs the whole system on one machine: the database (an embedded Postgres unless
// DATABASE_URL is set), then the server and the worker, each a process of its own.
// Ctrl+C or SIGTERM stops them in order: server and worker first, gracefully; the database last.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { loadConfigOrExit } from "@daycarat/config";
import { createLogger, withoutPassword } from "@daycarat/logger";
import type { DatabaseReadyMessage } from "./embedded-database.ts";

/** A process gets this long to stop gracefully before it is killed. */
const STOP_GRACE_MS = 8_000;
const READY_TIMEOUT_MS = 60_000;

const ENV_FILE = fileURLToPath(new URL("../../../.env", import.meta.url));

// A developer's .env at the repository root, when present, configures the whole system.
if (existsSync(ENV_FILE)) process.loadEnvFile(ENV_FILE);
const config = loadConfigOrExit();
const logger = createLogger({ service: "launcher", ...config.logging });
const apiUrl = `http://localhost:${config.server.port}`;

function startProcess(entry: URL, options: { env?: NodeJS.ProcessEnv; ipc?: boolean; ownGroup?: boolean } = {}): ChildProcess {
  return spawn(process.execPath, [fileURLToPath(entry)], {
    env: { ...process.env, ...options.env },
    stdio: options.ipc ? ["inherit", "inherit", "inherit", "ipc"] : "inherit",
    // The database's own process group keeps a terminal's Ctrl+C from stopping it before the apps.
    detached: options.ownGroup ?? false,
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

async function startEmbeddedDatabase(): Promise<{ databaseUrl: string; process: ChildProcess }> {
  const child = startProcess(new URL("embedded-database.ts", import.meta.url), { ipc: true, ownGroup: true });
  const [message] = (await Promise.race([
    once(child, "message"),
    once(child, "exit").then(() => {
      throw new Error("the embedded database did not start (see its log above)");
    }),
  ])) as [DatabaseReadyMessage];
  child.disconnect();
  return { databaseUrl: message.databaseUrl, process: child };
}

async function waitUntilReady(): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const response = await fetch(`${apiUrl}/readyz`).catch(() => undefined);
    if (response?.ok) return true;
    await sleep(250);
  }
  return false;
}

const database = config.database.url
  ? { databaseUrl: config.database.url, process: undefined }
  : await startEmbeddedDatabase();
logger.info(`database: ${withoutPassword(database.databaseUrl)}`);

const apps = (["server", "worker"] as const).map((app) =>
  startProcess(new URL(`../../${app}/src/main.ts`, import.meta.url), { env: { DATABASE_URL: database.databaseUrl } }),
);
const stopRequested = new Promise<number>((resolve) => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => { resolve(0); });
});
const appExited = Promise.race(apps.map((app) => once(app, "exit"))).then(([code, signal]) => {
  // Ctrl+C reaches the apps too: one that stopped cleanly was asked to.
  if (code === 0) return 0;
  logger.error({ code, signal }, "a process of the system ended unexpectedly; stopping the rest");
  return 1;
});
void waitUntilReady().then((ready) => {
  if (ready) logger.info(`DayCarat is up: API ${apiUrl} (tRPC ${apiUrl}/trpc, ${apiUrl}/healthz, ${apiUrl}/readyz); worker running. Ctrl+C stops.`);
  else logger.warn(`the server did not answer ${apiUrl}/readyz within ${READY_TIMEOUT_MS / 1000} s`);
});

const exitCode = await Promise.race([stopRequested, appExited]);
await Promise.all(apps.map(stopProcess));
if (database.process) await stopProcess(database.process);
logger.info("stopped");
process.exit(exitCode);
