// Runs the whole system on one machine: the database (an embedded Postgres unless
// DATABASE_URL is set), then the server, the worker and the web app's static server
// (http://localhost:5173, WEB_PORT), each a process of its own.
// Ctrl+C or SIGTERM, to the launcher or to its whole process group, stops them in order:
// server and worker first, gracefully; the database last. Should the launcher be killed,
// server and worker notice (their IPC channel closes) and stop; the embedded Postgres runs on
// and the next start reuses it.
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { loadConfigOrExit } from "@daycarat/config";
// Narrow entry points: the launcher only starts processes, and stays small (no Prisma client, no stand-ins).
import { ensureDatabase, LOCAL_DATABASE_NAME, startEmbeddedPostgres } from "@daycarat/db/embedded";
import { startNodeProcess, waitForStatus, type NodeProcess } from "@daycarat/devkit/processes";
import { heapLimitFlags, mallocEnvironment, onStopRequest } from "@daycarat/lifecycle";
import { createLogger, withoutPassword } from "@daycarat/logger";
import { webOrigin } from "@daycarat/web/origin";

/** A process gets this long to stop gracefully before it is killed. */
const STOP_GRACE_MS = 8_000;
const READY_TIMEOUT_MS = 60_000;
// The server and the worker as built for running (`pnpm build`, which `npm start` runs first).
const APPS = {
  server: fileURLToPath(import.meta.resolve("@daycarat/server/dist")),
  worker: fileURLToPath(import.meta.resolve("@daycarat/worker/dist")),
  web: fileURLToPath(import.meta.resolve("@daycarat/web/serve")),
};

const ENV_FILE = fileURLToPath(new URL("../../../.env", import.meta.url));

// A developer's .env at the repository root, when present, configures the whole system.
if (existsSync(ENV_FILE)) process.loadEnvFile(ENV_FILE);
const config = loadConfigOrExit();
const logger = createLogger({ service: "launcher", ...config.logging });
const apiUrl = `http://localhost:${config.server.port}`;
/** The ports the system listens on besides the web app's, each with the variable that moves it. */
const PORTS = [
  { variable: "PORT", port: config.server.port },
  { variable: "METRICS_PORT", port: config.metrics.serverPort },
  { variable: "WORKER_METRICS_PORT", port: config.metrics.workerPort },
].filter((entry): entry is { variable: string; port: number } => entry.port !== undefined);

const metricsUrl = (port: number | undefined) => (port === undefined ? "off" : `http://localhost:${port}/metrics`);

let stopAsked = false;
const stopRequested = new Promise<void>((resolve) => {
  onStopRequest(
    () => {
      stopAsked = true;
      resolve();
    },
    (signal) => {
      logger.info(`${signal} again: already stopping`);
    },
  );
});

function portIsTaken(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => {
      resolve(true);
    });
    probe.listen(port, host, () =>
      probe.close(() => {
        resolve(false);
      }),
    );
  });
}

/** The system's database: DATABASE_URL's, or the embedded cluster (started, or found running). */
async function startDatabase(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (config.database.url) return { url: config.database.url, stop: () => Promise.resolve() };
  const postgres = await startEmbeddedPostgres({ ...config.database.embedded, logger });
  try {
    await ensureDatabase(postgres.url, LOCAL_DATABASE_NAME);
  } catch (error) {
    await postgres.stop();
    throw error;
  }
  return { url: postgres.urlFor(LOCAL_DATABASE_NAME), stop: () => postgres.stop() };
}

/** Resolves with the launcher's exit code once the first app ended: 0 when it stopped cleanly (Ctrl+C reached it too). */
async function firstExit(apps: NodeProcess[]): Promise<number> {
  const { code, signal } = await Promise.race(apps.map((app) => app.exit));
  if (code === 0) return 0;
  logger.error({ code, signal }, "a process of the system ended unexpectedly; stopping the rest");
  return 1;
}

async function runSystem(databaseUrl: string): Promise<number> {
  // An IPC channel each, so that they stop should the launcher die without stopping them.
  const apps = Object.values(APPS).map((entry) =>
    startNodeProcess(entry, {
      env: { DATABASE_URL: databaseUrl, ...mallocEnvironment() },
      nodeArgs: heapLimitFlags(),
      output: "inherit",
      ipc: true,
    }),
  );
  const [server] = apps;
  void waitForStatus(`${apiUrl}/readyz`, { timeoutMs: READY_TIMEOUT_MS, process: server }).then(
    () => {
      logger.info(
        `DayCarat is up: web app ${webOrigin()}, API ${apiUrl} (tRPC ${apiUrl}/trpc, ${apiUrl}/healthz, ${apiUrl}/readyz); worker running; ` +
          `metrics: server ${metricsUrl(config.metrics.serverPort)}, worker ${metricsUrl(config.metrics.workerPort)}. Ctrl+C stops.`,
      );
    },
    () => {
      if (!stopAsked) logger.warn(`the server did not answer ${apiUrl}/readyz within ${READY_TIMEOUT_MS / 1000} s`);
    },
  );
  const exitCode = await Promise.race([stopRequested.then(() => 0), firstExit(apps)]);
  await Promise.all(apps.map((app) => app.stop(STOP_GRACE_MS)));
  return exitCode;
}

async function run(): Promise<number> {
  for (const { variable, port } of PORTS) {
    if (await portIsTaken(port, config.server.host)) {
      throw new Error(
        `port ${port} is in use by another process (is DayCarat already running?): stop it, or choose another port with ${variable}`,
      );
    }
  }
  const database = await startDatabase();
  try {
    logger.info(`database: ${withoutPassword(database.url)}`);
    return stopAsked ? 0 : await runSystem(database.url);
  } finally {
    await database.stop();
  }
}

let exitCode: number;
try {
  exitCode = await run();
  logger.info("stopped");
} catch (error) {
  logger.error(error instanceof Error ? error.message : String(error));
  exitCode = 1;
}
process.exit(exitCode);
