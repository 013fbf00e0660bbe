import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import getPort from "get-port";

const SERVER_MAIN = fileURLToPath(new URL("../../server/src/main.ts", import.meta.url));
const WORKER_MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const READY_TIMEOUT_MS = 30_000;
/** Longer than the processes' own SHUTDOWN_TIMEOUT_MS (10 s), so they stop on their own terms. */
const STOP_TIMEOUT_MS = 15_000;

export interface ChildService {
  stop(): Promise<void>;
}

export interface SystemSettings {
  databaseUrl: string;
  /** The model's base URL, …/v1. */
  modelBaseUrl: string;
  aiConcurrency: number;
  /** Analyses one user may start per day: above what the run submits, so the quota never refuses. */
  aiDailyQuota: number;
}

/** The processes' own lines (warnings and errors only) on our standard error, marked as theirs. */
function forwardOutput(child: ChildProcess, label: string): void {
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) process.stderr.write(`[${label}] ${line}\n`);
  };
  child.stdout?.on("data", forward);
  child.stderr?.on("data", forward);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const stopped = await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);
  if (!stopped) child.kill("SIGKILL");
}

/** Server and worker read the same settings, as in a deployment: both are the real entry points. */
function environment(settings: SystemSettings, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // `test`, not production: auth.dev must work, and nothing else differs for this workload.
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    LOG_FORMAT: "json",
    DATABASE_URL: settings.databaseUrl,
    OPENAI_API_KEY: "sk-benchmark",
    OPENAI_BASE_URL: settings.modelBaseUrl,
    AI_CONCURRENCY: String(settings.aiConcurrency),
    AI_DAILY_QUOTA: String(settings.aiDailyQuota),
    ...extra,
  };
}

function spawnService(entry: string, label: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [entry], { env, stdio: ["ignore", "pipe", "pipe"] });
  forwardOutput(child, label);
  return child;
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

/** The real server (apps/server/src/main.ts) in a process of its own, once /readyz answers 200. */
export async function startServer(settings: SystemSettings): Promise<ChildService & { url: string }> {
  const port = await getPort();
  const child = spawnService(SERVER_MAIN, "server", environment(settings, { HOST: "127.0.0.1", PORT: String(port) }));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(url, child);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { url, stop: () => stopChild(child) };
}

/**
 * The real worker (src/main.ts) in a process of its own. It has no health endpoint: the
 * caller knows it is ready when a warm-up analysis succeeds.
 */
export function startWorker(settings: SystemSettings): ChildService & { exited(): boolean } {
  const child = spawnService(WORKER_MAIN, "worker", environment(settings, {}));
  return { stop: () => stopChild(child), exited: () => child.exitCode !== null || child.signalCode !== null };
}
