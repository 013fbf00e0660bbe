import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import getPort from "get-port";

const SERVER_MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export interface ServerProcess {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  stop(): Promise<void>;
}

/** The server's own lines (warnings and errors only) on our standard error, marked as its. */
function forwardOutput(child: ChildProcess): void {
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) process.stderr.write(`[server] ${line}\n`);
  };
  child.stdout?.on("data", forward);
  child.stderr?.on("data", forward);
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

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const stopped = await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);
  if (!stopped) child.kill("SIGKILL");
}

/**
 * The real server (src/main.ts) in a process of its own, so that the load generator never
 * competes with it for one event loop. It runs as in production: JSON logs, warnings only.
 */
export async function startServerProcess(options: { databaseUrl: string; jwtSecret: string }): Promise<ServerProcess> {
  const port = await getPort();
  const child = spawn(process.execPath, [SERVER_MAIN], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: options.databaseUrl,
      JWT_SECRET: options.jwtSecret,
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "warn",
      LOG_FORMAT: "json",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  forwardOutput(child);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(url, child);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { url, stop: () => stopChild(child) };
}
