import cluster, { type Worker } from "node:cluster";
import type { Logger } from "@daycarat/logger";
import { heapLimitFlags, mallocEnvironment } from "./heap-limits.ts";
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
  /**
   * What the primary does while the processes start (the migrations): they load their modules
   * meanwhile and wait for it (primaryPrepared) before they serve. If it fails, all stop.
   */
  preparation: Promise<unknown>;
}

// A serving process asks, and the primary answers once its preparation is done: asking instead
// of being told means no answer is sent before the process listens for it.
const PREPARATION_QUESTION = "daycarat:preparation?";
const PREPARATION_DONE = "daycarat:prepared";

/** In a serving process of the cluster: resolves once the primary's preparation is done. */
export function primaryPrepared(): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (message !== PREPARATION_DONE) return;
      process.off("message", onMessage);
      resolve();
    };
    process.on("message", onMessage);
    process.send?.(PREPARATION_QUESTION);
  });
}

/**
 * Forks the serving processes (the first alone, the others once it listens) and restarts any
 * that ends unasked, after a backoff. Should one end before any listened (a port in use, say),
 * they cannot start: the primary stops.
 * A stop request (see onStopRequest) goes on to every process as SIGTERM (one that got it from
 * the process group already takes the second as the same stop); once all ended, `close` runs
 * and the primary exits, 0 when they all stopped cleanly.
 */
export function superviseProcesses({ processes, logger, stopTimeoutMs, preparation }: ClusterOptions, close: () => Promise<void>): void {
  const forkedAt = new Map<Worker, number>();
  let stopping = false;
  let stoppedCleanly = true;
  let anyListened = false;
  let restartDelayMs = FIRST_RESTART_DELAY_MS;

  const fork = () => {
    if (!stopping) forkedAt.set(cluster.fork(mallocEnvironment()), Date.now());
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

  cluster.on("message", (worker, message) => {
    if (message !== PREPARATION_QUESTION) return;
    preparation.then(
      () => {
        if (worker.isConnected()) worker.send(PREPARATION_DONE);
      },
      () => undefined,
    );
  });
  preparation.catch((error: unknown) => {
    logger.error({ err: error }, "the server could not be prepared (migrations): stopping");
    stoppedCleanly = false;
    stopAll();
  });

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
  // The first process starts alone, with the cores to itself, and the cluster serves as soon as it
  // listens; the others start then. All at once, they shared the cores and each took longer.
  fork();
  cluster.once("listening", () => {
    for (let started = 1; started < processes; started++) fork();
  });
}
