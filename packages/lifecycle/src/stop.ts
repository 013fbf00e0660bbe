import closeWithGrace from "close-with-grace";
import type { Logger } from "@daycarat/logger";

// How a process of the system is asked to stop. A terminal's Ctrl+C and a supervisor's stop
// signal the whole process group, so a child gets the signal directly and, moments later, the
// one its parent forwards (npm forwards to the launcher, the launcher to server and worker):
// those are one stop, not an order to give up on a graceful one.

const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** Another stop signal within this long of the first belongs to the same stop. */
export const SAME_STOP_WINDOW_MS = 3_000;

/** A stop signal, or "disconnect": the parent that started this process with an IPC channel is gone. */
export type StopReason = (typeof STOP_SIGNALS)[number] | "disconnect";

/**
 * Calls `stop` once: on the first SIGINT or SIGTERM, or when the IPC channel of a parent that
 * opened one closes (it died without stopping us). Later signals within SAME_STOP_WINDOW_MS are
 * ignored; one after that is someone insisting, and goes to `insist`.
 */
export function onStopRequest(stop: (reason: StopReason) => void, insist: (signal: NodeJS.Signals) => void): void {
  let firstAt: number | undefined;
  const request = (reason: StopReason) => {
    if (firstAt === undefined) {
      firstAt = Date.now();
      stop(reason);
    } else if (reason !== "disconnect" && Date.now() - firstAt > SAME_STOP_WINDOW_MS) {
      insist(reason);
    }
  };
  for (const signal of STOP_SIGNALS)
    process.on(signal, () => {
      request(signal);
    });
  if (process.connected)
    process.once("disconnect", () => {
      request("disconnect");
    });
}

export interface GracefulStopOptions {
  logger: Logger;
  /** How long `close` may take before the process exits anyway (with code 1). */
  timeoutMs: number;
}

/**
 * Runs `close` once when the process is asked to stop (see onStopRequest) or meets an uncaught
 * error, then exits: 0 after a stop that finished in time, 1 otherwise.
 */
export function stopGracefully({ logger, timeoutMs }: GracefulStopOptions, close: () => Promise<void>): void {
  const closer = closeWithGrace({ delay: timeoutMs, logger, skip: [...STOP_SIGNALS] }, async ({ err }) => {
    if (err) logger.error({ err }, "shutting down after an unexpected error");
    await close();
  });
  onStopRequest(
    (reason) => {
      logger.info({ reason }, "shutting down");
      closer.close();
    },
    (signal) => {
      logger.warn(`${signal} again while stopping: exiting without finishing`);
      process.exit(1);
    },
  );
}
