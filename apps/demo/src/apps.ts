import { fileURLToPath } from "node:url";
import { freePort, METRICS_OFF, startNodeProcess, waitForStatus, type NodeProcess } from "@daycarat/devkit";
import { pollUntil } from "./wait.ts";

// The real server and worker as child processes, like `npm start` runs them, but quiet: their
// log lines are kept (the last few are shown when a step fails) instead of filling the story.
// Each runs in a process group of its own so that a Ctrl+C reaches the demo only, which then
// stops them once, gracefully, in order.

const READY_TIMEOUT_MS = 30_000;
/** Longer than the SHUTDOWN_TIMEOUT_MS the demo gives them, so they stop on their own terms. */
const STOP_TIMEOUT_MS = 10_000;
/** How much of a process's latest output is kept, in characters (whole lines). */
const KEPT_OUTPUT = 64_000;
const ENTRIES = {
  server: fileURLToPath(import.meta.resolve("@daycarat/server/main")),
  worker: fileURLToPath(import.meta.resolve("@daycarat/worker/main")),
};

export interface AppProcess {
  name: string;
  /** The lines it logged lately. */
  recentLines: () => string[];
  stop: () => Promise<void>;
}

function startApp(name: keyof typeof ENTRIES, env: NodeJS.ProcessEnv): NodeProcess {
  const app = startNodeProcess(ENTRIES[name], {
    env: { LOG_FORMAT: "json", LOG_LEVEL: "info", ...METRICS_OFF, ...env },
    keepChars: KEPT_OUTPUT,
    ownGroup: true,
  });
  // Should the demo end without stopping it (a crash), it must not outlive the demo.
  process.once("exit", () => {
    if (!app.hasExited()) app.child.kill("SIGTERM");
  });
  return app;
}

function asAppProcess(name: string, app: NodeProcess): AppProcess {
  return {
    name,
    recentLines: () =>
      app
        .output()
        .split("\n")
        .filter((line) => line.trim()),
    stop: () => app.stop(STOP_TIMEOUT_MS),
  };
}

/** Waits until `ready` resolves, failing at once when the process ends first; one that never got ready is stopped. */
async function untilReady(name: string, app: NodeProcess, ready: () => Promise<unknown>): Promise<AppProcess> {
  const started = asAppProcess(name, app);
  try {
    await ready();
  } catch (error) {
    await started.stop();
    const lastLines = started.recentLines().slice(-10).join("\n");
    throw new Error(`${error instanceof Error ? error.message : String(error)}; its last lines:\n${lastLines}`, { cause: error });
  }
  return started;
}

/** The real server (apps/server) on a free loopback port, once its /readyz answers 200 (migrations applied). */
export async function startServer(env: NodeJS.ProcessEnv): Promise<AppProcess & { url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = startApp("server", { ...env, HOST: "127.0.0.1", PORT: String(port) });
  const ready = () => waitForStatus(`${url}/readyz`, { timeoutMs: READY_TIMEOUT_MS, process: server });
  return { ...(await untilReady("server", server, ready)), url };
}

/** The real worker (apps/worker), once it logged that its queues are wired. */
export async function startWorker(env: NodeJS.ProcessEnv): Promise<AppProcess> {
  const worker = startApp("worker", env);
  const ready = () =>
    pollUntil(
      () => {
        if (worker.hasExited()) throw new Error(`the worker exited with code ${worker.child.exitCode ?? "none"}`);
        return worker.output().includes('"msg":"worker started"') || undefined;
      },
      "the worker to start",
      READY_TIMEOUT_MS,
    );
  return untilReady("worker", worker, ready);
}
