import { appendFile, chown, copyFile, mkdir, mkdtemp, readdir, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import getPort from "get-port";
import { withConnection } from "@daycarat/db";
import { startEmbeddedPostgres, type RunningPostgres } from "@daycarat/db/embedded";
import type { Logger } from "@daycarat/logger";
import { createCleanupStack } from "./cleanup.ts";
import { removeDataDir } from "./postgres.ts";
import { waitUntil } from "./processes.ts";

// A primary and a hot-standby streaming replica of the embedded Postgres, for tests of a
// replicated deployment. The embedded binaries ship no pg_basebackup, so the replica is made
// from a low-level base backup: pg_backup_start, a copy of the data folder, pg_backup_stop's
// backup_label, then standby.signal and primary_conninfo.

/** Where one of the two servers is: `url` for its `postgres` database, `urlFor` another. */
export type PostgresNode = Pick<RunningPostgres, "url" | "urlFor">;

export interface ReplicatedPostgres {
  primary: PostgresNode;
  /** The hot standby: read-only, streaming from the primary through a replication slot. */
  replica: PostgresNode;
  /** Stops the replica (fast shutdown), as an outage would; the slot keeps the WAL it will need. */
  stopReplica(): Promise<void>;
  /** Starts it again on the same port; it catches up from its slot. */
  startReplica(): Promise<void>;
  /** Resolves once the replica has replayed everything the primary had written when it was called. */
  untilReplayed(timeoutMs?: number): Promise<void>;
  /** Stops both servers and deletes their folders. */
  dispose(): Promise<void>;
}

export interface ReplicatedPostgresOptions {
  /** `shared_preload_libraries` of both servers, e.g. pg_stat_statements to count each one's statements. */
  preloadLibraries?: readonly string[];
}

interface Owner {
  uid: number;
  gid: number;
}

const SLOT = "daycarat_replica";
const CATCH_UP_TIMEOUT_MS = 30_000;

/**
 * Folders a base backup leaves empty: the server fills them at start-up (the WAL comes by
 * streaming from the slot), and their files may vanish while they are copied.
 */
const EMPTIED_FOLDERS = new Set([
  "pg_wal",
  "pg_replslot",
  "pg_dynshmem",
  "pg_notify",
  "pg_serial",
  "pg_snapshots",
  "pg_stat_tmp",
  "pg_subtrans",
]);
/** Files of the running primary that must not reach the copy (postgres.log is the embedded server's log). */
const SKIPPED_FILES = new Set(["postmaster.pid", "postmaster.opts", "postgres.log", "pg_internal.init"]);

async function makeOwnedFolder(folder: string, owner: Owner): Promise<void> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await chown(folder, owner.uid, owner.gid);
}

async function writeOwnedFile(file: string, text: string, owner: Owner): Promise<void> {
  await writeFile(file, text);
  await chown(file, owner.uid, owner.gid);
}

/**
 * Copies the data folder of a running server, owned as the original (the postgres user, when we
 * are root); `emptied` folders are made without their contents.
 */
async function copyDataFolder(from: string, to: string, owner: Owner, emptied: ReadonlySet<string> = EMPTIED_FOLDERS): Promise<void> {
  await makeOwnedFolder(to, owner);
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      await (emptied.has(entry.name) ? makeOwnedFolder(target, owner) : copyDataFolder(source, target, owner, new Set()));
    } else if (entry.isFile() && !SKIPPED_FILES.has(entry.name)) {
      // A file dropped while we copy (a finished temporary table, say) is not needed either.
      const copied = await copyFile(source, target).then(
        () => true,
        (error: unknown) => {
          if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
          throw error;
        },
      );
      if (copied) await chown(target, owner.uid, owner.gid);
    }
  }
}

/** A quoted literal for postgresql.conf and SQL. */
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

async function takeBaseBackup(primary: RunningPostgres, primaryDir: string, replicaDir: string): Promise<void> {
  const owner = await stat(primaryDir);
  await withConnection(primary.url, async (client) => {
    // The slot keeps every WAL segment from the backup's start until the replica has streamed it.
    await client.query("SELECT pg_create_physical_replication_slot($1, true)", [SLOT]);
    await client.query("SELECT pg_backup_start('daycarat replica', true)");
    await copyDataFolder(primaryDir, replicaDir, owner);
    const { rows } = await client.query<{ labelfile: string; spcmapfile: string | null }>("SELECT * FROM pg_backup_stop(true)");
    const label = rows[0];
    if (!label) throw new Error("pg_backup_stop returned no backup label");
    await writeOwnedFile(path.join(replicaDir, "backup_label"), label.labelfile, owner);
    if (label.spcmapfile) await writeOwnedFile(path.join(replicaDir, "tablespace_map"), label.spcmapfile, owner);
  });
  const { port, username } = new URL(primary.url);
  await writeOwnedFile(path.join(replicaDir, "standby.signal"), "", owner);
  const primaryConnection = `host=127.0.0.1 port=${port} user=${username} application_name=${SLOT}`;
  await appendFile(
    path.join(replicaDir, "postgresql.auto.conf"),
    `primary_conninfo = ${literal(primaryConnection)}\nprimary_slot_name = ${literal(SLOT)}\n`,
  );
}

const nodeOf = (running: RunningPostgres): PostgresNode => ({ url: running.url, urlFor: (database) => running.urlFor(database) });

/** Starts a primary and a streaming replica of it, each in a temporary folder on a free port. */
export async function startReplicatedPostgres(logger: Logger, options: ReplicatedPostgresOptions = {}): Promise<ReplicatedPostgres> {
  const cleanups = createCleanupStack();
  try {
    const primaryDir = await mkdtemp(path.join(tmpdir(), "daycarat-primary-"));
    cleanups.push(() => removeDataDir(primaryDir), "the primary's folder");
    const primaryPort = await getPort();
    let primary = await startEmbeddedPostgres({ dataDir: primaryDir, port: primaryPort, logger });
    cleanups.push(() => primary.stop(), "the primary");
    if (options.preloadLibraries?.length) {
      const libraries = options.preloadLibraries.join(",");
      await withConnection(primary.url, (client) => client.query(`ALTER SYSTEM SET shared_preload_libraries = ${literal(libraries)}`));
      await primary.stop();
      primary = await startEmbeddedPostgres({ dataDir: primaryDir, port: primaryPort, logger });
    }

    const replicaDir = await mkdtemp(path.join(tmpdir(), "daycarat-replica-"));
    cleanups.push(() => removeDataDir(replicaDir), "the replica's folder");
    await takeBaseBackup(primary, primaryDir, replicaDir);
    const replicaPort = await getPort();
    let replica: RunningPostgres | undefined = await startEmbeddedPostgres({ dataDir: replicaDir, port: replicaPort, logger });
    const stopReplica = async () => {
      const running = replica;
      replica = undefined;
      await running?.stop();
    };
    cleanups.push(stopReplica, "the replica");
    const replicaNode = nodeOf(replica);

    const untilReplayed = async (timeoutMs = CATCH_UP_TIMEOUT_MS) => {
      const target = await withConnection(primary.url, async (client) => {
        const { rows } = await client.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn");
        return rows[0]?.lsn;
      });
      await withConnection(replicaNode.url, (client) =>
        waitUntil(
          async () => {
            const { rows } = await client.query<{ replayed: boolean }>("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS replayed", [
              target,
            ]);
            return rows[0]?.replayed ? true : undefined;
          },
          { what: `the replica to replay the primary's WAL up to ${target}`, timeoutMs },
        ),
      );
    };
    await untilReplayed();

    return {
      primary: nodeOf(primary),
      replica: replicaNode,
      stopReplica,
      startReplica: async () => {
        replica ??= await startEmbeddedPostgres({ dataDir: replicaDir, port: replicaPort, logger });
      },
      untilReplayed,
      dispose: async () => {
        await cleanups.run();
      },
    };
  } catch (error) {
    await cleanups.run();
    throw error;
  }
}
