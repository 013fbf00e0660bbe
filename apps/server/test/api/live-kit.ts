import { afterAll, onTestFinished } from "vitest";
import { errorCode, type DayCaratClient, type RouterOutputs } from "@daycarat/client";
import type { DatabaseClient } from "@daycarat/db";
import { recordNotifications } from "@daycarat/domain";
import { startJobQueue } from "@daycarat/jobs";
import { createLogTransport } from "@daycarat/push";
import { captureLogs, waitFor } from "@daycarat/testkit";

// What the live inbox tests share: entries written the way production writes them, and a
// subscription through the real client that records what it hears.

type Notification = RouterOutputs["notifications"]["list"]["items"][number];

/** One event of `notifications.onNew`: the entry's sequence number as id, and the entry. */
export interface LiveEntry {
  id: string;
  data: Notification;
}

export interface LiveSubscription {
  /** The events heard so far, in order. */
  received: LiveEntry[];
  /** The error codes of the connection states heard so far (the client reconnects after these). */
  reconnectReasons: (string | undefined)[];
  /**
   * Resolves once the server answered the subscription. When it was accepted, entries
   * written from then on arrive (a refusal, too, is answered first, then sent as an error).
   */
  started: Promise<undefined>;
  /** Resolves with the error the subscription ended with. */
  failed: Promise<unknown>;
  /** Waits until `count` events were heard; rejects when the subscription fails first. */
  receivedCount(count: number, timeoutMs?: number): Promise<LiveEntry[]>;
  stop(): void;
}

/** Subscribes to the caller's new inbox entries, from `lastEventId` when given. */
export function subscribeToInbox(client: DayCaratClient, lastEventId?: string): LiveSubscription {
  const received: LiveEntry[] = [];
  const reconnectReasons: (string | undefined)[] = [];
  const started = Promise.withResolvers<undefined>();
  const failed = Promise.withResolvers<unknown>();
  const subscription = client.notifications.onNew.subscribe(lastEventId === undefined ? undefined : { lastEventId }, {
    onStarted: () => {
      started.resolve(undefined);
    },
    onData: (event) => received.push(event),
    onError: (error) => {
      failed.resolve(error);
    },
    onConnectionStateChange: (state) => {
      if (state.state === "connecting" && state.error) reconnectReasons.push(errorCode(state.error));
    },
  });
  onTestFinished(() => {
    subscription.unsubscribe();
  });
  return {
    received,
    reconnectReasons,
    started: started.promise,
    failed: failed.promise,
    receivedCount: (count, timeoutMs = 10_000) =>
      Promise.race([
        waitFor(() => Promise.resolve(received.length >= count ? received : undefined), timeoutMs, `${count} live entries`),
        failed.promise.then((error) => Promise.reject(error as Error)),
      ]),
    stop: () => {
      subscription.unsubscribe();
    },
  };
}

let written = 0;

/**
 * Writes inbox entries with the production writer (`recordNotifications`: one transaction,
 * announced on the notification channel at commit), from this process: whichever server a
 * subscriber is on hears of them only through Postgres.
 */
export async function startInboxWriter(db: DatabaseClient, databaseUrl: string) {
  const { logger } = captureLogs("writer", "silent");
  const jobs = await startJobQueue({ databaseUrl, runsMaintenance: false, logger, maxConnections: 2 });
  afterAll(() => jobs.stop({ graceful: false }));
  const deps = { db, jobs, push: createLogTransport(logger) };

  /** Writes `count` entries for the user in one transaction; returns their ids in commit (seq) order. */
  return async function write(userId: string, count = 1): Promise<string[]> {
    const requests = Array.from({ length: count }, () => {
      written += 1;
      return {
        userId,
        type: "ANALYSIS_SUCCEEDED" as const,
        category: "AI_RESULT" as const,
        title: `보석 가공이 완료되었어요 #${written}`,
        body: "AI가 추천 문장을 만들었어요.",
        data: { episodeId: "0193a0c4-0000-7000-8000-000000000001" },
        dedupeKey: `live-${written}`,
      };
    });
    const created = await recordNotifications(deps, requests);
    const rows = await db.notification.findMany({
      where: { id: { in: created.map((entry) => entry.id) } },
      orderBy: { seq: "asc" },
      select: { id: true },
    });
    return rows.map((row) => row.id);
  };
}

/** The entries as `notifications.list` shows them, in the given order, each with its sequence number as event id. */
export async function expectedEntries(client: DayCaratClient, db: DatabaseClient, ids: readonly string[]): Promise<LiveEntry[]> {
  const { items } = await client.notifications.list.query({ limit: 50 });
  const rows = await db.notification.findMany({ where: { id: { in: [...ids] } }, select: { id: true, seq: true } });
  const seqs = new Map(rows.map((row) => [row.id, String(row.seq)]));
  return ids.map((id) => {
    const data = items.find((item) => item.id === id);
    const seq = seqs.get(id);
    if (!data || seq === undefined) throw new Error(`entry ${id} is not in the inbox`);
    return { id: seq, data };
  });
}
