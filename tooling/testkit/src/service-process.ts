// The real server and worker as child processes, for benchmarks (no vitest here).
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import getPort from "get-port";

const SERVER_MAIN = fileURLToPath(new URL("../../../apps/server/src/main.ts", import.meta.url));
const WORKER_MAIN = fileURLToPath(new URL("../../../apps/worker/src/main.ts", import.meta.url));
const READY_TIMEOUT_MS = 30_000;
/** Longer than the processes' own SHUTDOWN_TIMEOUT_MS (10 s), so they stop on their own terms. */
const STOP_TIMEOUT_MS = 15_000;

export interface ServiceProcess {
  stop: () => Promise<void>;
  exited: () => boolean;
}

/** The process's own lines on our standard error, marked as its. */
function forwardOutput(child: ChildProcess, label: string): void {
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) process.stderr.write(`[${label}] ${line}\n`);
  };
  child.stdout?.on("data", forward);
  child.stderr?.on("data", forward);
}

/** SIGTERM, then SIGKILL if the process has not exited after `timeoutMs`. */
export async function stopChild(child: ChildProcess, timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const stopped = await Promise.race([exited.then(() => true), sleep(timeoutMs).then(() => false)]);
  if (!stopped) child.kill("SIGKILL");
}

function startService(entry: string, label: string, env: NodeJS.ProcessEnv): { child: ChildProcess } & ServiceProcess {
  const child = spawn(process.execPath, [entry], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  forwardOutput(child, label);
  return { child, stop: () => stopChild(child), exited: () => child.exitCode !== null || child.signalCode !== null };
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before it was ready`);
    const status = await fetch(`${url}/readyz`).then((response) => response.status, () => undefined);
    if (status === 200) return;
    await sleep(100);
  }
  throw new Error(`the server was not ready within ${READY_TIMEOUT_MS} ms`);
}

/** The real server (apps/server) on a free loopback port, once its /readyz answers 200. */
export async function startServerProcess(env: NodeJS.ProcessEnv): Promise<ServiceProcess & { url: string }> {
  const port = await getPort();
  const server = startService(SERVER_MAIN, "server", { ...env, HOST: "127.0.0.1", PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(url, server.child);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url, stop: server.stop, exited: server.exited };
}

/** The real worker (apps/worker); it has no health endpoint, so readiness is the caller's to judge. */
export function startWorkerProcess(env: NodeJS.ProcessEnv): ServiceProcess {
  const { stop, exited } = startService(WORKER_MAIN, "worker", env);
  return { stop, exited };
}

/**
 * Runs a benchmark's main function as the process's exit code, cleaning up after it, after a
 * failure, and on Ctrl+C.
 */
export async function runBenchmark(main: () => Promise<number>, cleanUp: () => Promise<void>): Promise<void> {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping and cleaning up…`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  try {
    process.exitCode = await main();
  } catch (error) {
    console.error("benchmark failed:", error);
    process.exitCode = 1;
  } finally {
    await cleanUp();
  }
}
