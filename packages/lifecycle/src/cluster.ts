import cluster, { type Worker } from "node:cluster";
import type { Logger } from "@daycarat/logger";
import { heapLimitFlags } from "./heap-limits.ts";
import { onStopRequest } from "./stop.ts";

// A primary process that keeps `processes` copies of this entry point serving one port
// (node:cluster hands them its connections in turn). It serves nothing itself.

/** The first restart after a crash waits this long; each crash in a row doubles it, up to the maximum. */
const FIRST_RESTART_DELAY_MS = 100;
const MAX_RESTART_DELAY_MS = 10_000;
/** A process that served this long before it ended starts the backoff afresh. */
const STABLE_AFTER_MS = 30_000;
/** On top of the processes' own stop deadline, before the primary kills what is left. */
const STOP_MARGIN_MS = 2_000;

export interface ClusterOptions {
  /** How many serving processes to keep running. */
  processes: number;
  logger: Logger;
  /** The processes' own stop deadline (SHUTDOWN_TIMEOUT_MS): they are killed when it is well past. */
  stopTimeoutMs: number;
}

/**
 * Forks the serving processes and restarts any that ends unasked, after a backoff. Should one
 * end before any of them listened (a port in use, say), they cannot start: the primary stops.
 * A stop request (see onStopRequest) goes on to every process as SIGTERM (one that got it from
 * the process group already takes the second as the same stop); once all ended, `close` runs
 * and the primary exits, 0 when they all stopped cleanly.
 */
export function superviseProcesses({ processes, logger, stopTimeoutMs }: ClusterOptions, close: () => Promise<void>): void {
  const forkedAt = new Map<Worker, number>();
  let stopping = false;
  let stoppedCleanly = true;
  let anyListened = false;
  let restartDelayMs = FIRST_RESTART_DELAY_MS;

  const fork = () => {
    if (!stopping) forkedAt.set(cluster.fork(), Date.now());
  };

  const finish = async () => {
    await close();
    process.exit(stoppedCleanly ? 0 : 1);
  };

  const stopAll = () => {
    // Once: a process signalled again seconds after its first stop signal takes it as insisting.
    if (stopping) return;
    stopping = true;
    for (const worker of forkedAt.keys()) worker.process.kill("SIGTERM");
    setTimeout(() => {
      logger.error(
        { pids: [...forkedAt.keys()].map((worker) => worker.process.pid) },
        "server processes did not stop in time: killing them",
      );
      for (const worker of forkedAt.keys()) worker.process.kill("SIGKILL");
      stoppedCleanly = false;
    }, stopTimeoutMs + STOP_MARGIN_MS).unref();
    if (forkedAt.size === 0) void finish();
  };

  cluster.on("listening", (worker, address) => {
    anyListened = true;
    logger.info({ pid: worker.process.pid, port: address.port }, "server process listening");
  });

  cluster.on("exit", (worker, code, signal) => {
    const ranMs = Date.now() - (forkedAt.get(worker) ?? Date.now());
    forkedAt.delete(worker);
    const exit = { pid: worker.process.pid, code, signal };
    if (stopping) {
      // A process still starting has no stop handler yet: the stop signal ends it, as asked.
      const stoppedAsAsked = code === 0 || signal === "SIGTERM" || signal === "SIGINT";
      if (!stoppedAsAsked) stoppedCleanly = false;
      if (forkedAt.size === 0) void finish();
      return;
    }
    if (!anyListened) {
      logger.error(exit, "a server process ended before any listened: stopping");
      stoppedCleanly = false;
      stopAll();
      return;
    }
    if (ranMs > STABLE_AFTER_MS) restartDelayMs = FIRST_RESTART_DELAY_MS;
    logger.error({ ...exit, restartInMs: restartDelayMs }, "a server process ended unexpectedly: starting another");
    setTimeout(fork, restartDelayMs);
    restartDelayMs = Math.min(restartDelayMs * 2, MAX_RESTART_DELAY_MS);
  });

  onStopRequest(
    (reason) => {
      logger.info({ reason, processes: forkedAt.size }, "shutting down");
      stopAll();
    },
    (signal) => {
      logger.warn(`${signal} again while stopping: exiting without finishing`);
      for (const worker of forkedAt.keys()) worker.process.kill("SIGKILL");
      process.exit(1);
    },
  );

  cluster.setupPrimary({ execArgv: [...process.execArgv, ...heapLimitFlags()] });
  for (let started = 0; started < processes; started++) fork();
}
