import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import getPort from "get-port";
import { withConnection } from "@daycarat/db";
import { hasExited, stopProcess, waitUntil } from "./processes.ts";

// PgBouncer (Debian's package) in transaction mode in front of one Postgres server, as a
// deployment puts it before the primary: a process of its own on a free loopback port, its
// configuration generated into a temporary folder.

const PGBOUNCER_BINARY = "/usr/sbin/pgbouncer";
const START_TIMEOUT_MS = 10_000;
/** PgBouncer refuses to run as root; it takes the identity of the user the embedded Postgres runs as. */
const UNPRIVILEGED_USER = "postgres";

/** Server connections per database and user (PgBouncer's default): what it holds open on the server. */
const POOL_SIZE = 20;
/** Client connections it accepts in all: the pools of a few servers and workers, with room. */
const MAX_CLIENT_CONNECTIONS = 500;

export interface PgBouncerOptions {
  /** The server it pools connections to (every database of it): a URL whose host, port and user are used. */
  serverUrl: string;
}

export interface PgBouncer {
  /** `serverUrl` with PgBouncer's address instead: the same user and database, pooled. */
  url(serverUrl: string): string;
  stop(): Promise<void>;
}

function configuration(options: PgBouncerOptions, port: number, folder: string): string {
  const server = new URL(options.serverUrl);
  return [
    "[databases]",
    `* = host=${server.hostname} port=${server.port}`,
    "[pgbouncer]",
    "listen_addr = 127.0.0.1",
    `listen_port = ${port}`,
    "unix_socket_dir =",
    "pool_mode = transaction",
    // The server trusts loopback connections; PgBouncer still wants its users listed.
    "auth_type = trust",
    `auth_file = ${path.join(folder, "userlist.txt")}`,
    `default_pool_size = ${POOL_SIZE}`,
    `max_client_conn = ${MAX_CLIENT_CONNECTIONS}`,
    // Start-up parameters node-postgres may send that PgBouncer would otherwise refuse.
    "ignore_startup_parameters = extra_float_digits,options",
    "log_connections = 0",
    "log_disconnections = 0",
    "",
  ].join("\n");
}

/** Starts PgBouncer in transaction mode in front of `serverUrl`'s server; it must be installed (Debian's `pgbouncer`). */
export async function startPgBouncer(options: PgBouncerOptions): Promise<PgBouncer> {
  if (!existsSync(PGBOUNCER_BINARY))
    throw new Error(`PgBouncer is not installed (${PGBOUNCER_BINARY}): run 'sudo apt-get install -y pgbouncer'`);
  const folder = await mkdtemp(path.join(tmpdir(), "daycarat-pgbouncer-"));
  // Readable by the unprivileged user PgBouncer becomes.
  await chmod(folder, 0o755);
  const port = await getPort();
  const user = decodeURIComponent(new URL(options.serverUrl).username);
  await writeFile(path.join(folder, "userlist.txt"), `"${user}" ""\n`);
  const iniFile = path.join(folder, "pgbouncer.ini");
  await writeFile(iniFile, configuration(options, port, folder));

  const asRoot = userInfo().uid === 0 ? ["-u", UNPRIVILEGED_USER] : [];
  const child = spawn(PGBOUNCER_BINARY, [...asRoot, iniFile], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  for (const stream of [child.stdout, child.stderr]) stream.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const stop = async () => {
    await stopProcess(child);
    await rm(folder, { recursive: true, force: true });
  };
  const pooledUrl = (serverUrl: string) => {
    const url = new URL(serverUrl);
    url.host = `127.0.0.1:${port}`;
    return url.toString();
  };
  try {
    // Ready once a query goes through it to the server.
    await waitUntil(
      async () => {
        if (hasExited(child)) throw new Error(`PgBouncer exited at start-up:\n${output}`);
        return withConnection(pooledUrl(options.serverUrl), (client) => client.query("SELECT 1")).then(
          () => true,
          () => undefined,
        );
      },
      { what: `PgBouncer to pass a query on port ${port}`, timeoutMs: START_TIMEOUT_MS },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: pooledUrl, stop };
}
