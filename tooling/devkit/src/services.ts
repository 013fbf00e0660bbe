import getPort from "get-port";
import { startNodeProcess, waitForStatus, type NodeProcess } from "./processes.ts";

// The real server and worker as child processes, their lines forwarded to our standard error
// and marked as theirs. The apps export their entry points: `import.meta.resolve("@daycarat/server/main")`.

const READY_TIMEOUT_MS = 30_000;

/**
 * The limits on abuse set out of reach, for tests and benchmarks whose calls all come from one
 * address and a few users: they exercise the API, not its limits (rate-limits.test.ts sets low ones).
 */
export const UNREACHED_RATE_LIMITS = {
  RATE_LIMIT_SIGN_IN_PER_MINUTE: "1000000000",
  RATE_LIMIT_WRITES_PER_MINUTE: "1000000000",
  RATE_LIMIT_CALLS_PER_MINUTE: "1000000000",
};

/**
 * The metrics endpoints off: their default ports (9464, 9465) are fixed, and processes that
 * tests, benchmarks and the demo start side by side would contend for them. A caller that
 * scrapes them passes ports of its own.
 */
export const METRICS_OFF = { METRICS_PORT: "0", WORKER_METRICS_PORT: "0" };

/**
 * The real server on a free loopback port, once its /readyz answers 200 (migrations applied).
 * `nodeArgs` go before the entry (V8's flags).
 */
export async function startServerProcess(
  entry: string,
  env: NodeJS.ProcessEnv,
  nodeArgs: string[] = [],
): Promise<NodeProcess & { url: string }> {
  const port = await getPort();
  const server = startNodeProcess(entry, {
    nodeArgs,
    // One serving process unless asked for more: a test's SIGKILL then kills the server itself,
    // not a cluster primary, and each start costs one process, not one per core.
    env: { ...METRICS_OFF, WEB_CONCURRENCY: "1", ...env, HOST: "127.0.0.1", PORT: String(port) },
    output: { label: "server" },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForStatus(`${url}/readyz`, { timeoutMs: READY_TIMEOUT_MS, process: server });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { ...server, url };
}

/** The real worker; it has no health endpoint, so readiness is the caller's to judge. */
export function startWorkerProcess(entry: string, env: NodeJS.ProcessEnv): NodeProcess {
  return startNodeProcess(entry, { env: { ...METRICS_OFF, ...env }, output: { label: "worker" } });
}
