import { listenToChannel, type DatabaseClient, type Prisma } from "@daycarat/db";
import type { LogMethods } from "@daycarat/logger";
import { z } from "zod";
import { ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS, ACCESS_TOKEN_TTL_SECONDS, type AccessTokenClaims } from "./access-token.ts";

// Access tokens are checked without the database, so ending them early takes a deny-list: a
// revocation names a user (account deleted) or one of their sign-ins (signed out, refresh token
// reused). It is written with the change that causes it and announced on a Postgres channel at
// commit; every server process keeps the live ones in memory. A revocation only has to outlive
// the tokens issued before it (none are issued after it), so the list stays small.

/** Postgres channel announcing each revocation (payload: the revocation as JSON). */
export const REVOCATION_CHANNEL = "daycarat_access_revoked";

const REVOCATION_LIFETIME_MS = (ACCESS_TOKEN_TTL_SECONDS + ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS) * 1000;
/** How long a revoking request waits to hear its own announcement before applying it by itself. */
const ANNOUNCEMENT_WAIT_MS = 2_000;

export interface Revocation {
  userId: string;
  /** The sign-in to end; unset: every token of the user. */
  familyId?: string | undefined;
}

const announcementSchema = z.object({ userId: z.uuid(), familyId: z.uuid().nullable(), expiresAt: z.iso.datetime() });

function parseAnnouncement(payload: string) {
  try {
    return announcementSchema.safeParse(JSON.parse(payload)).data;
  } catch {
    return undefined;
  }
}

type RevocationWriter = Pick<Prisma.TransactionClient, "accessRevocation" | "$executeRaw">;

/**
 * Records a revocation and announces it. Call it inside the transaction that makes the change:
 * the announcement leaves at commit, and not at all if the change rolls back.
 */
export async function revokeAccess(tx: RevocationWriter, revocation: Revocation): Promise<void> {
  const now = new Date();
  const expiresAt = new Date(now.getTime() + REVOCATION_LIFETIME_MS);
  // Tidying here keeps the table to the last few minutes' revocations without a job of its own.
  await tx.accessRevocation.deleteMany({ where: { expiresAt: { lt: now } } });
  const row = await tx.accessRevocation.create({
    data: { userId: revocation.userId, familyId: revocation.familyId ?? null, expiresAt },
    select: { userId: true, familyId: true, expiresAt: true },
  });
  const announcement = JSON.stringify({ ...row, expiresAt: row.expiresAt.toISOString() });
  await tx.$executeRaw`SELECT pg_notify(${REVOCATION_CHANNEL}, ${announcement})`;
}

/** This process's view of the live revocations. */
export interface RevocationList {
  /** Whether the token's user or sign-in was revoked: two lookups in memory, no query. */
  isRevoked(claims: Pick<AccessTokenClaims, "userId" | "sessionId">): boolean;
  /**
   * Resolves once this process applies a revocation just committed: when it hears the
   * announcement, which every server hears at the same moment, so a revoking request that
   * waits for it answers only once its revocation is in force (at the latest after a short
   * wait, when this process applies it without the announcement).
   */
  applied(revocation: Revocation): Promise<void>;
  /** Stops listening and re-checking. */
  close(): Promise<void>;
}

export interface RevocationListOptions {
  db: DatabaseClient;
  databaseUrl: string;
  /** How often the list is re-read in full, in case a notification was missed. */
  recheckMs: number;
  logger: LogMethods;
}

/** Listens for revocations, then reads the live ones; resolves once the list is complete (or its first read failed, then logged). */
export async function startRevocationList(options: RevocationListOptions): Promise<RevocationList> {
  const { db, logger } = options;
  // id → end of the revocation, in ms; ended entries are dropped on each re-read.
  const users = new Map<string, number>();
  const families = new Map<string, number>();
  // Requests waiting for their revocation to be applied, by the user or family id it names.
  const waiting = new Map<string, Set<() => void>>();
  const remember = (userId: string, familyId: string | null, expiresAt: number) => {
    const [entries, id] = familyId === null ? [users, userId] : [families, familyId];
    // The same id revoked twice stays revoked until the later end.
    entries.set(id, Math.max(entries.get(id) ?? 0, expiresAt));
    for (const done of waiting.get(id) ?? []) done();
  };

  // Entries are only ever added (a revocation is never undone), so a re-read racing a
  // notification loses nothing.
  const reread = async () => {
    const now = Date.now();
    for (const entries of [users, families]) for (const [id, end] of entries) if (end <= now) entries.delete(id);
    const rows = await db.accessRevocation.findMany({
      where: { expiresAt: { gt: new Date(now) } },
      select: { userId: true, familyId: true, expiresAt: true },
    });
    for (const row of rows) remember(row.userId, row.familyId, row.expiresAt.getTime());
  };
  const rereadInBackground = () => {
    reread().catch((error: unknown) => {
      logger.warn({ err: error }, "could not re-read the access revocations");
    });
  };

  const listener = await listenToChannel({
    databaseUrl: options.databaseUrl,
    channel: REVOCATION_CHANNEL,
    logger,
    onNotification: (payload) => {
      const announced = parseAnnouncement(payload);
      if (announced) remember(announced.userId, announced.familyId, Date.parse(announced.expiresAt));
      else rereadInBackground();
    },
    // Revocations announced while the connection was down reached nobody.
    onReconnect: rereadInBackground,
  });
  // Not fatal: the server must start (and answer /readyz) with the database still migrating;
  // the periodic re-read completes the list shortly.
  await reread().catch((error: unknown) => {
    logger.warn({ err: error }, "could not read the access revocations yet");
  });
  const timer = setInterval(rereadInBackground, options.recheckMs);
  timer.unref();

  const active = (entries: Map<string, number>, id: string) => (entries.get(id) ?? 0) > Date.now();
  const applied = ({ userId, familyId }: Revocation) => (familyId === undefined ? active(users, userId) : active(families, familyId));
  return {
    isRevoked: ({ userId, sessionId }) => active(users, userId) || active(families, sessionId),
    applied(revocation) {
      if (applied(revocation)) return Promise.resolve();
      const key = revocation.familyId ?? revocation.userId;
      return new Promise<void>((resolve) => {
        const waiters = waiting.get(key) ?? new Set();
        waiting.set(key, waiters);
        const done = () => {
          clearTimeout(timeout);
          waiters.delete(done);
          if (waiters.size === 0) waiting.delete(key);
          resolve();
        };
        const timeout = setTimeout(() => {
          remember(revocation.userId, revocation.familyId ?? null, Date.now() + REVOCATION_LIFETIME_MS);
        }, ANNOUNCEMENT_WAIT_MS);
        waiters.add(done);
      });
    },
    async close() {
      clearInterval(timer);
      await listener.close();
    },
  };
}
