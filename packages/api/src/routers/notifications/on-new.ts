import { TRPCError, tracked } from "@trpc/server";
import { z } from "zod";
import type { DatabaseClient } from "@daycarat/db";
import type { InboxWatch } from "../../notification-feed.ts";
import { authedProcedure } from "../../trpc.ts";
import { notificationSelect, toNotification } from "./notification.ts";

/** Entries per query: a client far behind catches up page by page. */
const PAGE_SIZE = 100;
/** Looks again this often without a wake-up too, should one ever be lost. */
const SAFETY_RECHECK_MS = 30_000;

export const onNewInput = z
  .object({
    /**
     * The id of the last entry received: the entries after it follow. tRPC's client sends it
     * when it reconnects; without it only entries newer than the subscription arrive.
     */
    lastEventId: z
      .string()
      .regex(/^\d{1,18}$/, "must be the id of a received entry")
      .transform(BigInt)
      .nullish(),
  })
  .prefault({});

async function latestSeq(db: DatabaseClient, userId: string): Promise<bigint> {
  const { _max } = await db.notification.aggregate({ where: { userId }, _max: { seq: true } });
  return _max.seq ?? 0n;
}

function entriesAfter(db: DatabaseClient, userId: string, seq: bigint) {
  return db.notification.findMany({
    where: { userId, seq: { gt: seq } },
    orderBy: { seq: "asc" },
    take: PAGE_SIZE,
    select: { ...notificationSelect, seq: true },
  });
}

/**
 * The user's entries after `cursor`, then each new one, until the subscription or the feed
 * ends, or the sign-in it was opened with is revoked (signed out, refresh token reused): the
 * stream then ends before sending anything more.
 */
async function* entriesFrom(
  db: DatabaseClient,
  userId: string,
  cursor: bigint,
  watch: InboxWatch,
  signal: AbortSignal | undefined,
  revoked: () => boolean,
) {
  try {
    while (!signal?.aborted) {
      if (revoked()) throw new TRPCError({ code: "UNAUTHORIZED", message: "Access token revoked: sign in again" });
      const entries = await entriesAfter(db, userId, cursor);
      for (const { seq, ...entry } of entries) {
        yield tracked(String(seq), toNotification(entry));
        cursor = seq;
      }
      if (entries.length === PAGE_SIZE) continue;
      if (!(await watch.changed(SAFETY_RECHECK_MS))) {
        // A retryable code: the client reconnects (to another server) from its last entry.
        throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "The server is stopping; reconnect" });
      }
    }
  } finally {
    watch.stop();
  }
}

/**
 * The caller's new inbox entries as they are written, each shaped like a `notifications.list`
 * item and tracked by its sequence number, so that a reconnecting client resumes where it
 * left off. A user's entries take their numbers in commit order, so none is ever skipped.
 */
export const onNew = authedProcedure.input(onNewInput).subscription(async ({ ctx, input, signal }) => {
  const { userId } = ctx.user;
  // The watch starts before the cursor is read, so that an entry committed in between wakes
  // it; both happen before the client hears it is subscribed (`onStarted`).
  const watch = ctx.notificationFeed.watch(userId, signal);
  try {
    const cursor = input.lastEventId ?? (await latestSeq(ctx.db, userId));
    return entriesFrom(ctx.db, userId, cursor, watch, signal, () => ctx.revocations.isRevoked(ctx.user));
  } catch (error) {
    watch.stop();
    throw error;
  }
});
