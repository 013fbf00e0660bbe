import { METRICS_OFF, startNodeProcess, waitForStatus as waitForHttpStatus, waitUntil, type NodeProcess } from "@daycarat/devkit";
import { cleanUpAfter } from "./after.ts";

export type RunningProcess = NodeProcess;

/** Starts a TypeScript entry point on this Node (JSON logs, metrics off unless `env` turns them on), killed after the test (or the file's tests) if still running. */
export function startProcess(entry: string, env: NodeJS.ProcessEnv = {}, args: readonly string[] = []): RunningProcess {
  const started = startNodeProcess(entry, { env: { LOG_FORMAT: "json", ...METRICS_OFF, ...env }, args });
  cleanUpAfter(() => {
    if (!started.hasExited()) started.child.kill("SIGKILL");
  });
  return started;
}

/** Polls `check` until it returns a value other than undefined (errors count as "not yet"), or fails after `timeoutMs`. */
export function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, what = "condition"): Promise<T> {
  return waitUntil(check, { what, timeoutMs, ignoreErrors: true });
}

/** Resolves once GET `url` answers with `status`. */
export function waitForStatus(url: string, status = 200, timeoutMs = 20_000): Promise<Response> {
  return waitForHttpStatus(url, { status, timeoutMs });
}
