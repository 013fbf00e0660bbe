import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import freePort from "get-port";
import { stopChild } from "@daycarat/testkit/service-process";
import { pollUntil } from "./wait.ts";

// The real server and worker as child processes, like `npm start` runs them, but quiet: their
// log lines are kept (the last few are shown when a step fails) instead of filling the story.
// Each runs in a process group of its own so that a Ctrl+C reaches the demo only, which then
// stops them once, gracefully, in order (a second signal would make them exit at once).

const READY_TIMEOUT_MS = 30_000;
/** Longer than the SHUTDOWN_TIMEOUT_MS the demo gives them, so they stop on their own terms. */
const STOP_TIMEOUT_MS = 10_000;
/** How much of a process's latest output is kept, in characters (whole lines). */
const KEPT_OUTPUT = 64_000;

export interface AppProcess {
  name: string;
  /** The lines it logged lately. */
  recentLines: () => string[];
  stop: () => Promise<void>;
}

interface StartedApp extends AppProcess {
  child: ChildProcess;
  /** Whether it has logged a line containing `text`. */
  hasLogged: (text: string) => boolean;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function startApp(name: "server" | "worker", env: NodeJS.ProcessEnv): StartedApp {
  const entry = fileURLToPath(new URL(`../../${name}/src/main.ts`, import.meta.url));
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, LOG_FORMAT: "json", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  // Should the demo end without stopping it (a crash), it must not outlive the demo.
  process.once("exit", () => {
    if (!hasExited(child)) child.kill("SIGTERM");
  });
  let output = "";
  const keep = (chunk: string) => {
    output += chunk;
    if (output.length > KEPT_OUTPUT) output = output.slice(output.indexOf("\n", output.length - KEPT_OUTPUT) + 1);
  };
  // Decoded as a stream, so that a Korean character split between two chunks stays whole.
  child.stdout.setEncoding("utf8").on("data", keep);
  child.stderr.setEncoding("utf8").on("data", keep);
  return {
    name,
    child,
    hasLogged: (text) => output.includes(text),
    recentLines: () => output.split("\n").filter((line) => line.trim()),
    stop: () => stopChild(child, STOP_TIMEOUT_MS),
  };
}

/** Waits until `isReady`, failing at once when the process ends first; one that never got ready is stopped. */
async function untilReady(app: StartedApp, isReady: () => Promise<boolean>, what: string): Promise<AppProcess> {
  try {
    await pollUntil(async () => {
      if (hasExited(app.child)) throw new Error(`the ${app.name} exited with code ${app.child.exitCode ?? "none"}`);
      return (await isReady()) || undefined;
    }, what, READY_TIMEOUT_MS);
  } catch (error) {
    await app.stop();
    const lastLines = app.recentLines().slice(-10).join("\n");
    throw new Error(`${error instanceof Error ? error.message : String(error)}; its last lines:\n${lastLines}`, { cause: error });
  }
  return { name: app.name, recentLines: app.recentLines, stop: app.stop };
}

/** The real server (apps/server) on a free loopback port, once its /readyz answers 200 (migrations applied). */
export async function startServer(env: NodeJS.ProcessEnv): Promise<AppProcess & { url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = startApp("server", { ...env, HOST: "127.0.0.1", PORT: String(port) });
  const ready = () => fetch(`${url}/readyz`).then((response) => response.ok, () => false);
  return { ...(await untilReady(server, ready, `${url}/readyz to answer 200`)), url };
}

/** The real worker (apps/worker), once it logged that its queues are wired. */
export async function startWorker(env: NodeJS.ProcessEnv): Promise<AppProcess> {
  const worker = startApp("worker", env);
  return untilReady(worker, () => Promise.resolve(worker.hasLogged('"msg":"worker started"')), "the worker to start");
}
