import { execFile } from "node:child_process";
import { appendFile, chown, mkdtemp, readdir, realpath, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import getPort from "get-port";
import { withConnection } from "@daycarat/db";
import { startEmbeddedPostgres, type RunningPostgres } from "@daycarat/db/embedded";
import type { Logger } from "@daycarat/logger";
import { createCleanupStack } from "./cleanup.ts";
import { removeDataDir } from "./postgres.ts";
import { waitUntil } from "./processes.ts";

// A primary and a streaming replica of it, both embedded Postgres clusters in temporary folders,
// for tests and benchmarks of reads on replicas. The embedded binaries have no pg_basebackup: the
// replica is made from a low-level base backup (pg_backup_start, a copy of the data folder,
// pg_backup_stop's backup label), starts in standby mode and streams from a replication slot.

const execFileAsync = promisify(execFile);
const SLOT = "daycarat_replica";

export interface ReplicatedPostgres {
  primary: RunningPostgres;
  /** The standby: read-only, streaming from the primary. */
  replica: RunningPostgres;
  /** Stops the replica (fast shutdown), as an outage would. */
  stopReplica(): Promise<void>;
  /** Starts it again on the same port; it catches up from its slot. */
  startReplica(): Promise<void>;
  /** Resolves once the replica has replayed everything the primary had written when called. */
  untilReplayed(): Promise<void>;
  /** Stops both and deletes their folders. */
  dispose(): Promise<void>;
}

/** Copies a data folder taken in backup mode, as Postgres' documentation lists: without the server's run-time files and WAL. */
async function copyDataFolder(from: string, to: string): Promise<void> {
  // `cp -a` keeps the owner (the postgres user when we are root) and the folder's 0700 mode.
  await execFileAsync("cp", ["-a", `${from}/.`, to]);
  for (const runtimeFile of ["postmaster.pid", "postmaster.opts", "postgres.log"]) await rm(path.join(to, runtimeFile), { force: true });
  const wal = path.join(to, "pg_wal");
  for (const entry of await readdir(wal)) await rm(path.join(wal, entry), { recursive: true, force: true });
}

/** Writes a file of the replica's data folder, owned like the folder (the server's user). */
async function writeOwnedFile(dataDir: string, name: string, text: string, append = false): Promise<void> {
  const file = path.join(dataDir, name);
  await (append ? appendFile(file, text) : writeFile(file, text));
  const { uid, gid } = await stat(dataDir);
  await chown(file, uid, gid);
}

export async function startReplicatedPostgres(logger: Logger): Promise<ReplicatedPostgres> {
  const cleanups = createCleanupStack();
  try {
    const primaryDir = await mkdtemp(path.join(tmpdir(), "daycarat-primary-"));
    cleanups.push(() => removeDataDir(primaryDir), "the primary's folder");
    const primary = await startEmbeddedPostgres({ dataDir: primaryDir, port: await getPort(), logger });
    cleanups.push(() => primary.stop(), "the primary");

    const replicaDir = await mkdtemp(path.join(tmpdir(), "daycarat-replica-"));
    cleanups.push(() => removeDataDir(replicaDir), "the replica's folder");
    const backupLabel = await withConnection(primary.url, async (client) => {
      // The slot keeps the WAL the replica still needs, from the backup's start on.
      await client.query("SELECT pg_create_physical_replication_slot($1, true)", [SLOT]);
      await client.query("SELECT pg_backup_start('daycarat replica', true)");
      await copyDataFolder(await realpath(primaryDir), replicaDir);
      const { rows } = await client.query<{ labelfile: string }>("SELECT labelfile FROM pg_backup_stop(false)");
      return rows[0]?.labelfile ?? "";
    });
    const primaryPort = new URL(primary.url).port;
    await writeOwnedFile(replicaDir, "backup_label", backupLabel);
    await writeOwnedFile(replicaDir, "standby.signal", "");
    await writeOwnedFile(
      replicaDir,
      "postgresql.auto.conf",
      `primary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=postgres password=postgres application_name=daycarat-replica'\n` +
        `primary_slot_name = '${SLOT}'\n`,
      true,
    );
    const replicaOptions = { dataDir: replicaDir, port: await getPort(), logger };
    let replica = await startEmbeddedPostgres(replicaOptions);
    let replicaRunning = true;
    const stopReplica = async () => {
      if (replicaRunning) await replica.stop();
      replicaRunning = false;
    };
    cleanups.push(stopReplica, "the replica");

    const untilReplayed = async () => {
      const written = await withConnection(primary.url, (client) =>
        client.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn"),
      );
      const lsn = written.rows[0]?.lsn;
      await waitUntil(
        () =>
          withConnection(replica.url, async (client) => {
            const { rows } = await client.query<{ replayed: boolean | null }>("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS replayed", [
              lsn,
            ]);
            return rows[0]?.replayed === true ? true : undefined;
          }),
        { timeoutMs: 30_000, what: "the replica to replay the primary's WAL" },
      );
    };
    await untilReplayed();
    return {
      primary,
      get replica() {
        return replica;
      },
      stopReplica,
      async startReplica() {
        replica = await startEmbeddedPostgres(replicaOptions);
        replicaRunning = true;
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
