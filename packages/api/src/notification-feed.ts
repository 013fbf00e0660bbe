import { listenToChannel } from "@daycarat/db";
import { NOTIFICATION_CHANNEL } from "@daycarat/domain";
import type { LogMethods } from "@daycarat/logger";

/** One live subscription's view of its user's wake-ups. */
export interface InboxWatch {
  /**
   * Resolves once the user's inbox may have new entries since the previous call (at once
   * when a wake-up came in between), after `timeoutMs` at the latest, or when the watch's
   * signal aborts. Resolves false once the feed closed: the server is stopping.
   */
  changed(timeoutMs: number): Promise<boolean>;
  /** Stops watching (also done when the signal aborts). */
  stop(): void;
}

/**
 * Wakes this process's live subscriptions when their user's inbox gets entries, whichever
 * process wrote them: one LISTEN connection per process, fanned out per user id.
 */
export interface NotificationFeed {
  watch(userId: string, signal: AbortSignal | undefined): InboxWatch;
  /** The watches open now: one per live subscription. */
  watching(): number;
  /** Ends every watch (so their subscriptions end and the server can close) and stops listening. */
  close(): Promise<void>;
}

/** Starts listening (the first connection must succeed, later drops are survived). */
export async function startNotificationFeed(databaseUrl: string, logger: LogMethods): Promise<NotificationFeed> {
  const watchers = new Map<string, Set<() => void>>();
  let closed = false;
  const wakeAll = () => {
    for (const users of watchers.values()) for (const wake of users) wake();
  };

  const listener = await listenToChannel({
    databaseUrl,
    channel: NOTIFICATION_CHANNEL,
    logger,
    onNotification: (userId) => {
      for (const wake of watchers.get(userId) ?? []) wake();
    },
    onReconnect: wakeAll,
  });

  return {
    watch(userId, signal) {
      let woken = false;
      let endWait: (() => void) | undefined;
      const wake = () => {
        woken = true;
        endWait?.();
      };
      const users = watchers.get(userId) ?? new Set();
      watchers.set(userId, users.add(wake));
      const stop = () => {
        signal?.removeEventListener("abort", stop);
        wake();
        users.delete(wake);
        if (users.size === 0 && watchers.get(userId) === users) watchers.delete(userId);
      };
      signal?.addEventListener("abort", stop);

      return {
        async changed(timeoutMs) {
          if (!woken && !closed && !signal?.aborted) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(() => {
                endWait?.();
              }, timeoutMs);
              endWait = () => {
                endWait = undefined;
                clearTimeout(timer);
                resolve();
              };
            });
          }
          woken = false;
          return !closed;
        },
        stop,
      };
    },
    watching() {
      let count = 0;
      for (const users of watchers.values()) count += users.size;
      return count;
    },
    async close() {
      if (closed) return;
      closed = true;
      wakeAll();
      await listener.close();
    },
  };
}
