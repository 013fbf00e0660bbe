import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll } from "vitest";

export interface RunningProcess {
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (or signal) once the process ended; rejects after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a TypeScript entry point on this Node, killed after the file's tests if still running. */
export function startProcess(entry: string, env: NodeJS.ProcessEnv = {}, args: readonly string[] = []): RunningProcess {
  const child = spawn(process.execPath, [entry, ...args], { env: { ...process.env, LOG_FORMAT: "json", ...env } });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exit = once(child, "exit").then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  afterAll(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return {
    child,
    output: () => output,
    exited: (timeoutMs = 15_000) =>
      Promise.race([
        exit,
        sleep(timeoutMs).then(() => {
          throw new Error(`process did not exit within ${timeoutMs} ms; output:\n${output}`);
        }),
      ]),
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** Resolves once GET `url` answers with `status`. */
export function waitForStatus(url: string, status = 200, timeoutMs = 20_000): Promise<Response> {
  return waitFor(
    async () => {
      const response = await fetch(url);
      return response.status === status ? response : undefined;
    },
    timeoutMs,
    `${url} to answer ${status}`,
  );
}
