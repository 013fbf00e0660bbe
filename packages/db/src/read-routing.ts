import { withoutPassword, type LogMethods } from "@daycarat/logger";
import { createDatabaseClient, readRows, type DatabaseClient } from "./client.ts";
import { Prisma } from "./generated/prisma/client.ts";

// Which database a read-only call reads from: a streaming replica when one is up, close enough
// to the primary and past the caller's own last write; the primary otherwise.
//
// Why not @prisma/extension-read-replicas: it sends every read operation of every call to a
// random replica, down or lagging, with no notion of a caller's own writes (a read before an
// update in a mutation would read stale rows). Here only the calls that ask read from a
// replica, and the choice follows each replica's health and each user's writes.
//
// Read-your-writes across server processes: after each write of a user through the API, the
// primary's WAL position is stored in `user_write_positions` (on the primary, shared by every
// process); a replica serves that user only once it has replayed past it. The cost per read is
// that one primary-key lookup, made only while some replica is usable.

/** How often each replica's replay position (and the primary's WAL position) is checked. */
const CHECK_INTERVAL_MS = 500;
/** A check that takes longer than this counts the replica as down. */
const CHECK_TIMEOUT_MS = 2_000;

export type ReplicaState = "up" | "lagging" | "down";

export interface ReplicaStatus {
  /** Its connection string without the password. */
  name: string;
  state: ReplicaState;
  /** How far behind the primary it was at its last check, in milliseconds; null while down. */
  lagMs: number | null;
  /** Why it is down or lagging. */
  reason?: string;
}

/** The database one read-only call reads from. */
export interface Reader {
  db: DatabaseClient;
  /** The replica's name; undefined for the primary. */
  replica?: string;
  /** The read failed because this database is unavailable: skip it until its next check says otherwise. */
  markUnavailable(reason: string): void;
}

export interface ReadRouting {
  /** Where a read-only call of `userId` reads: a usable replica past the user's last write, else the primary. */
  readerFor(userId: string): Promise<Reader>;
  /** `userId` has just written on the primary: their reads wait for a replica that has replayed this far. */
  recordWrite(userId: string): Promise<void>;
  /** Each replica as its last check found it. */
  replicas(): ReplicaStatus[];
  /** Stops checking and closes the replicas' pools (the primary's client is the caller's). */
  close(): Promise<void>;
}

export interface ReadRoutingOptions {
  primary: DatabaseClient;
  replicaUrls: readonly string[];
  /** A replica further behind than this is skipped. */
  maxLagMs: number;
  /** Connections of each replica's pool. */
  poolSize: number;
  logger: LogMethods;
  /** How often the replicas are checked (CHECK_INTERVAL_MS unless a test needs them checked seldom). */
  checkIntervalMs?: number;
}

interface Replica {
  name: string;
  db: DatabaseClient;
  state: ReplicaState;
  lagMs: number | null;
  reason?: string;
  /** The WAL position it had replayed at its last check (bytes from 0/0). */
  replayed: bigint;
}

/** The primary's WAL position at a moment: a replica that has replayed this far has every write made before it. */
interface PrimarySample {
  at: number;
  position: bigint;
}

const primaryReader = (db: DatabaseClient): Reader => ({ db, markUnavailable: () => undefined });

/** Reads from the primary only, at no cost: no replicas are configured. */
function primaryOnly(primary: DatabaseClient): ReadRouting {
  const reader = primaryReader(primary);
  return {
    readerFor: () => Promise.resolve(reader),
    recordWrite: () => Promise.resolve(),
    replicas: () => [],
    close: () => Promise.resolve(),
  };
}

async function withinTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// Positions are compared as byte offsets (`pg_lsn - '0/0'`). The write position, not the insert
// position: an idle primary's insert position can sit past a page header the replica never
// "replays", which would look like a lag that never ends.
async function primaryPosition(primary: DatabaseClient): Promise<bigint> {
  const [row] = await primary.$queryRaw<[{ position: bigint }]>`SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint AS position`;
  return row.position;
}

async function replayedPosition(replica: DatabaseClient): Promise<bigint | null> {
  const [row] = await replica.$queryRaw<[{ position: bigint | null }]>`
    SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint AS position`;
  return row.position;
}

/**
 * How long ago the primary was last known to be no further than `replayed`: 0 when the replica
 * has everything the primary had at its latest sample. An idle primary stays at one position, so
 * an idle replica is never counted as lagging. Beyond the history kept, at least its age.
 */
function lagOf(replayed: bigint, history: readonly PrimarySample[], now: number): number | undefined {
  if (history.length === 0) return undefined;
  for (let index = history.length - 1; index >= 0; index -= 1) {
    const sample = history[index];
    if (sample && sample.position <= replayed) return index === history.length - 1 ? 0 : now - sample.at;
  }
  return now - (history[0]?.at ?? now);
}

/** Routes reads to the replicas of `replicaUrls`, checking each every `checkIntervalMs`. */
export function startReadRouting(options: ReadRoutingOptions): ReadRouting {
  const { primary, maxLagMs, logger, checkIntervalMs = CHECK_INTERVAL_MS } = options;
  if (options.replicaUrls.length === 0) return primaryOnly(primary);
  const replicas: Replica[] = options.replicaUrls.map((url) => ({
    name: withoutPassword(url),
    db: createDatabaseClient(url, { maxConnections: options.poolSize, applicationName: REPLICA_READS_APPLICATION_NAME }),
    state: "down",
    lagMs: null,
    reason: "not checked yet",
    replayed: 0n,
  }));
  const history: PrimarySample[] = [];

  const setState = (replica: Replica, state: ReplicaState, lagMs: number | null, reason?: string) => {
    if (state !== replica.state) {
      const log = state === "up" ? logger.info.bind(logger) : logger.warn.bind(logger);
      log({ replica: replica.name, state, lagMs, reason }, state === "up" ? "read replica in use" : "read replica skipped");
    }
    Object.assign(replica, { state, lagMs, reason });
  };

  /** What a replica's check finds: its state, its lag, and why it is not up. */
  const judge = async (replica: Replica, now: number): Promise<[ReplicaState, number | null, string?]> => {
    try {
      const replayed = await withinTimeout(replayedPosition(replica.db), CHECK_TIMEOUT_MS);
      if (replayed === null) return ["down", null, "not a streaming replica (it replays no WAL)"];
      replica.replayed = replayed;
      const lagMs = lagOf(replayed, history, now);
      if (lagMs === undefined) return ["lagging", null, "the primary's position is unknown"];
      if (lagMs > maxLagMs) return ["lagging", lagMs, `more than ${maxLagMs} ms behind the primary`];
      return ["up", lagMs];
    } catch (error) {
      return ["down", null, error instanceof Error ? error.message : String(error)];
    }
  };

  const check = async () => {
    const now = Date.now();
    try {
      history.push({ at: now, position: await withinTimeout(primaryPosition(primary), CHECK_TIMEOUT_MS) });
    } catch {
      // The primary's outage is the API's to report; the replicas are judged on the history kept.
    }
    // Enough history to tell any lag up to the limit, and a little beyond.
    while (history.length > 1 && (history[0]?.at ?? now) < now - maxLagMs - 2 * checkIntervalMs) history.shift();
    await Promise.all(
      replicas.map(async (replica) => {
        setState(replica, ...(await judge(replica, now)));
      }),
    );
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let checking: Promise<void>;
  const checkUntilStopped = () => {
    checking = check().then(() => {
      if (!stopped) timer = setTimeout(checkUntilStopped, checkIntervalMs).unref();
    });
  };
  checkUntilStopped();

  return {
    async readerFor(userId) {
      const usable = replicas.filter((replica) => replica.state === "up");
      if (usable.length === 0) return primaryReader(primary);
      // Every replica read asks this first: on the pool directly (readRows). The driver answers a bigint as text.
      const [mark] = await readRows<{ position: string }>(
        primary,
        Prisma.sql`SELECT "walPosition" AS position FROM user_write_positions WHERE "userId" = ${userId}::uuid`,
      );
      const caughtUp = usable.filter((replica) => mark === undefined || replica.replayed >= BigInt(mark.position));
      const replica = caughtUp[Math.floor(Math.random() * caughtUp.length)];
      if (!replica) return primaryReader(primary);
      return {
        db: replica.db,
        replica: replica.name,
        markUnavailable: (reason) => {
          setState(replica, "down", null, reason);
        },
      };
    },
    async recordWrite(userId) {
      // GREATEST: of two writes of one user finishing together, the later position stays.
      await primary.$executeRaw`
        INSERT INTO user_write_positions ("userId", "walPosition")
        VALUES (${userId}::uuid, (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint)
        ON CONFLICT ("userId") DO UPDATE SET "walPosition" = GREATEST(user_write_positions."walPosition", EXCLUDED."walPosition")`;
    },
    replicas: () => replicas.map(({ name, state, lagMs, reason }) => ({ name, state, lagMs, ...(state === "up" ? {} : { reason }) })),
    async close() {
      stopped = true;
      clearTimeout(timer);
      await checking;
      await Promise.all(replicas.map((replica) => replica.db.$disconnect()));
    },
  };
}

/** How the replicas' connections show in `pg_stat_activity.application_name`. */
export const REPLICA_READS_APPLICATION_NAME = "daycarat-replica-reads";
