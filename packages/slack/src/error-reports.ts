import { IncomingWebhook } from "@slack/webhook";

/** What an ERROR-or-worse log line (pino JSON, already redacted) may tell about where it came from. */
interface ErrorLine {
  level: number;
  service?: string;
  msg?: string;
  reqId?: string;
  /** The tRPC procedure, or an HTTP route. */
  path?: string;
  url?: string;
  queue?: string;
  jobId?: string;
  userId?: string;
  /** Set with DATABASE_UNAVAILABLE. */
  databaseUnavailable?: boolean;
  err?: { type?: string; code?: string | number; message?: string; stack?: string };
}

export interface ErrorReporterOptions {
  webhookUrl: string;
  /** The same error is posted at most once per this period; repeats are counted into the next post. */
  throttleMs: number;
  /** A post that takes longer is abandoned: a slow Slack must not pile up work. */
  timeoutMs?: number;
  /** Posts waiting or in flight at once; beyond that, reports are dropped and counted. */
  maxPending?: number;
  /** Told when a post fails (it must not log at ERROR, or a dead Slack would feed itself). */
  onPostFailure?: (error: unknown) => void;
}

/** A pino destination that posts ERROR-and-worse lines to a Slack incoming webhook. */
export interface ErrorReporter {
  write(line: string): void;
  /** Waits for posts in flight (each ends by its timeout). */
  close(): Promise<void>;
}

interface Window {
  openedAt: number;
  repeats: number;
  latest: ErrorLine;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The fields of an ERROR line whose error is the database being unavailable. An outage raises
 * many driver errors at once (refused, terminated, shutting down, starting up), wherever they
 * are logged; the reports take them as one error per log message.
 */
export const DATABASE_UNAVAILABLE = { databaseUnavailable: true } as const;

const LEVEL_NAMES: Record<number, string> = { 50: "ERROR", 60: "FATAL" };

// What varies between occurrences of one error, replaced by placeholders in its fingerprint.
const PG_BOSS_CONTEXT = /\s*\(Queue: [^)]*\)\s*$/; // "… (Queue: analysis.run, Worker: <uuid>)"
const PRISMA_CALL_SITE = /Invalid `[^`]*` invocation:/g; // "Invalid `prisma.user.findUnique()` invocation:"
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const HOST_AND_PORT = /(?:\[[0-9a-f:]+\]|\b\d{1,3}(?:\.\d{1,3}){3}|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*):\d{1,5}\b/gi;
const IP_ADDRESS = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;
/** Hex or base-36 ids: long runs of letters and digits with at least one digit. */
const OPAQUE_ID = /\b(?=[0-9a-z_-]*\d)[0-9a-z_-]{12,}\b/gi;
const NUMBER = /\d+(?:\.\d+)?/g;

/** An error message with everything that differs between occurrences of the same error taken out. */
function normalisedMessage(message: string): string {
  return message
    .replace(PG_BOSS_CONTEXT, "")
    .replace(PRISMA_CALL_SITE, "")
    .replace(UUID, "<id>")
    .replace(HOST_AND_PORT, "<host>")
    .replace(IP_ADDRESS, "<host>")
    .replace(OPAQUE_ID, "<id>")
    .replace(NUMBER, "<n>")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
}

/**
 * One error, however often and wherever it happens: its source (the service and the log line's
 * message) and what went wrong: the database being unavailable, or else the error's type, code
 * and normalised text. Ids, hosts, ports and counts differ between occurrences, so that one
 * outage is one post per service and log message rather than one per worker, job, request or
 * stage of a restart; each post tells the queue, route and request of the occurrence it shows.
 */
function fingerprint(line: ErrorLine): string {
  const error = line.databaseUnavailable
    ? "database unavailable"
    : [line.err?.type, line.err?.code, normalisedMessage(line.err?.message ?? "")].join("|");
  return [line.service, line.msg, error].join("|");
}

function describe(line: ErrorLine, repeats: number, dropped: number): string {
  const where = [
    line.reqId && `request \`${line.reqId}\``,
    (line.path ?? line.url) && `route \`${line.path ?? line.url}\``,
    line.queue && `job \`${line.queue}\`${line.jobId ? ` (${line.jobId})` : ""}`,
    line.userId && `user \`${line.userId}\``,
  ].filter(Boolean);
  const error = line.err ? `\n\`${line.err.type ?? "Error"}: ${line.err.message ?? ""}\`` : "";
  const stack = line.err?.stack ? `\n\`\`\`${line.err.stack.split("\n").slice(1, 6).join("\n")}\`\`\`` : "";
  const notes = [
    repeats > 0 && `the same error occurred ${repeats} more time(s) since the last report`,
    dropped > 0 && `${dropped} report(s) were dropped while Slack was slow`,
  ].filter(Boolean);
  return [
    `:rotating_light: *${LEVEL_NAMES[line.level] ?? "ERROR"}* in *${line.service ?? "?"}*: ${line.msg ?? "(no message)"}`,
    where.length > 0 ? where.join(" · ") : "",
    error + stack,
    notes.length > 0 ? `_${notes.join("; ")}_` : "",
  ]
    .filter(Boolean)
    .join("\n");
}

/**
 * Posts error log lines to Slack without ever holding up the code that logged them: a line
 * is parsed and queued synchronously, the post happens in the background with a timeout, and
 * a failed post is only reported to `onPostFailure`. Each distinct error (its fingerprint) is
 * posted at most once per `throttleMs`; repeats within the period are counted and posted when
 * it ends, as one message.
 */
export function createErrorReporter(options: ErrorReporterOptions): ErrorReporter {
  const webhook = new IncomingWebhook(options.webhookUrl, { timeout: options.timeoutMs ?? 5_000 });
  const maxPending = options.maxPending ?? 20;
  const onPostFailure = options.onPostFailure ?? (() => undefined);
  const windows = new Map<string, Window>();
  const pending = new Set<Promise<void>>();
  let dropped = 0;

  function post(line: ErrorLine, repeats: number): void {
    if (pending.size >= maxPending) {
      dropped++;
      return;
    }
    const text = describe(line, repeats, dropped);
    dropped = 0;
    const sending = webhook
      .send({ text })
      .then(() => undefined, onPostFailure)
      .finally(() => pending.delete(sending));
    pending.add(sending);
  }

  function closeWindow(key: string): void {
    const window = windows.get(key);
    if (!window) return;
    windows.delete(key);
    if (window.repeats > 0) {
      post(window.latest, window.repeats);
      // The summary counts as this period's post: later repeats wait for the next one.
      windows.set(key, { openedAt: Date.now(), repeats: 0, latest: window.latest, timer: undefined });
    }
  }

  return {
    write(raw) {
      let line: ErrorLine;
      try {
        line = JSON.parse(raw) as ErrorLine;
      } catch {
        return;
      }
      const key = fingerprint(line);
      const window = windows.get(key);
      if (!window || Date.now() - window.openedAt >= options.throttleMs) {
        if (window?.timer) clearTimeout(window.timer);
        windows.set(key, { openedAt: Date.now(), repeats: 0, latest: line, timer: undefined });
        post(line, window?.repeats ?? 0);
        return;
      }
      window.repeats++;
      window.latest = line;
      window.timer ??= setTimeout(
        () => {
          closeWindow(key);
        },
        window.openedAt + options.throttleMs - Date.now(),
      ).unref();
    },
    async close() {
      for (const window of windows.values()) if (window.timer) clearTimeout(window.timer);
      await Promise.all(pending);
    },
  };
}
