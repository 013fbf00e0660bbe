import type { LogMethods } from "@daycarat/logger";
import pg from "pg";

export interface ChannelListenerOptions {
  /** A direct connection (DATABASE_DIRECT_URL): a pooler in transaction mode would not keep the LISTEN. */
  databaseUrl: string;
  channel: string;
  /** Receives each notification's payload. */
  onNotification: (payload: string) => void;
  /**
   * Called once LISTEN is back after the connection dropped: whatever was announced
   * meanwhile reached nobody, so the caller must look for it itself.
   */
  onReconnect: () => void;
  logger: LogMethods;
}

export interface ChannelListener {
  /** Stops listening and closes the connection; no callback runs afterwards. */
  close(): Promise<void>;
}

const FIRST_RETRY_MS = 500;
const LONGEST_RETRY_MS = 30_000;

/** How the connection shows in `pg_stat_activity.application_name`. */
export const listenerApplicationName = (channel: string) => `listen:${channel}`;

/**
 * Keeps one dedicated connection (outside any pool, since LISTEN belongs to a session)
 * listening on a Postgres channel. The first connection must succeed; a connection that
 * drops later is re-established with exponential backoff, for as long as it takes.
 */
export async function listenToChannel(options: ChannelListenerOptions): Promise<ChannelListener> {
  const { databaseUrl, channel, logger } = options;
  let client: pg.Client | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const connect = async (): Promise<pg.Client> => {
    const next = new pg.Client({
      connectionString: databaseUrl,
      application_name: listenerApplicationName(channel),
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
    });
    next.on("notification", (message) => {
      if (!closed && message.channel === channel) options.onNotification(message.payload ?? "");
    });
    // Without a listener an error would crash the process; "end" follows and reconnects.
    next.on("error", (error) => {
      logger.warn({ err: error, channel }, "listen connection failed");
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${next.escapeIdentifier(channel)}`);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    next.once("end", () => {
      if (!closed) reconnect(0);
    });
    return next;
  };

  const reconnect = (attempt: number) => {
    const delay = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt);
    logger.warn({ channel, retryInMs: delay }, "not listening, reconnecting");
    retryTimer = setTimeout(() => {
      connect().then(
        (next) => {
          client = next;
          // Closed while this connection was being made.
          if (closed) return void next.end().catch(() => undefined);
          logger.info({ channel }, "listening again");
          options.onReconnect();
        },
        () => {
          if (!closed) reconnect(attempt + 1);
        },
      );
    }, delay);
  };

  client = await connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      await client?.end().catch(() => undefined);
    },
  };
}
