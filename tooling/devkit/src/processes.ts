import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";

// Starting, watching and stopping the system's processes (server, worker, launcher, demo):
// for the launcher, the demo, benchmarks and tests alike.

/** Long enough for the apps' own SHUTDOWN_TIMEOUT_MS (10 s by default), so they stop on their own terms. */
const DEFAULT_STOP_GRACE_MS = 15_000;

export interface NodeProcessOptions {
  env?: NodeJS.ProcessEnv;
  args?: readonly string[];
  /** Node's own options, before the entry point (`--max-old-space-size=192`). */
  nodeArgs?: readonly string[];
  /**
   * "keep" (the default): its output is kept for `output()`; "inherit": it writes to our
   * terminal; `{ label }`: kept, and forwarded to our standard error with each line marked.
   */
  output?: "keep" | "inherit" | { label: string };
  /** Keep only about this many characters of the latest output (whole lines). */
  keepChars?: number;
  /** An IPC channel, through which the process notices that we died (and stops). */
  ipc?: boolean;
  /** A process group of its own, so that signals to our group do not reach it. */
  ownGroup?: boolean;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface NodeProcess {
  child: ChildProcess;
  /** What it printed so far (stdout and stderr), unless its output is inherited. */
  output(): string;
  hasExited(): boolean;
  /** Resolves once it ended. */
  exit: Promise<ProcessExit>;
  /** Resolves once it ended; rejects, showing its output, after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<ProcessExit>;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM, then SIGKILL if the process has not exited after `graceMs`; resolves once it exited. */
export async function stopProcess(child: ChildProcess, graceMs = DEFAULT_STOP_GRACE_MS): Promise<void> {
  if (hasExited(child)) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

function forwardLines(label: string): (chunk: string) => void {
  return (chunk) => {
    for (const line of chunk.split("\n")) if (line.trim()) process.stderr.write(`[${label}] ${line}\n`);
  };
}

/** Runs a TypeScript (or JavaScript) entry point on this Node. */
export function startNodeProcess(entry: string, options: NodeProcessOptions = {}): NodeProcess {
  const inherit = options.output === "inherit";
  const streams = inherit ? "inherit" : "pipe";
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), entry, ...(options.args ?? [])], {
    env: { ...process.env, ...options.env },
    stdio: ["ignore", streams, streams, ...(options.ipc ? (["ipc"] as const) : [])],
    detached: options.ownGroup ?? false,
  });
  let output = "";
  const keep = (chunk: string) => {
    output += chunk;
    if (options.keepChars && output.length > options.keepChars)
      output = output.slice(output.indexOf("\n", output.length - options.keepChars) + 1);
  };
  const forward = typeof options.output === "object" ? forwardLines(options.output.label) : undefined;
  for (const stream of [child.stdout, child.stderr]) {
    // Decoded as a stream, so that a character split between two chunks stays whole.
    stream?.setEncoding("utf8").on("data", (chunk: string) => {
      keep(chunk);
      forward?.(chunk);
    });
  }
  const exit = new Promise<ProcessExit>((resolve) => {
    child.once("exit", (code, signal) => {
      resolve({ code, signal });
    });
  });
  return {
    child,
    output: () => output,
    hasExited: () => hasExited(child),
    exit,
    exited: (timeoutMs = 15_000) =>
      Promise.race([
        exit,
        sleep(timeoutMs, undefined, { ref: false }).then(() => {
          throw new Error(`process did not exit within ${timeoutMs} ms; output:\n${output}`);
        }),
      ]),
    stop: (graceMs) => stopProcess(child, graceMs),
  };
}

export interface WaitOptions {
  /** What is awaited, for the error message. */
  what: string;
  timeoutMs?: number;
  /** Treat an error thrown by `check` as "not yet" (by default it ends the wait at once). */
  ignoreErrors?: boolean;
}

/** Polls `check` every 100 ms until it returns a value other than undefined. */
export async function waitUntil<T>(check: () => Promise<T | undefined> | T | undefined, options: WaitOptions): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = options.ignoreErrors
      ? await Promise.resolve()
          .then(check)
          .catch(() => undefined)
      : await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${options.what}`);
    await sleep(100);
  }
}

/** Resolves once GET `url` answers `status`; fails at once when `process` (the one serving it) ends first. */
export function waitForStatus(
  url: string,
  options: { status?: number; timeoutMs?: number; process?: NodeProcess } = {},
): Promise<Response> {
  const status = options.status ?? 200;
  return waitUntil(
    async () => {
      if (options.process?.hasExited())
        throw new Error(`the process serving ${url} exited with code ${options.process.child.exitCode ?? "none"}`);
      const response = await fetch(url).catch(() => undefined);
      return response?.status === status ? response : undefined;
    },
    { what: `${url} to answer ${status}`, timeoutMs: options.timeoutMs ?? 20_000 },
  );
}
