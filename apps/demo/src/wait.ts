import { setTimeout as sleep } from "node:timers/promises";

/**
 * Polls `check` every 100 ms until it returns a value. Unlike a test's waitFor, an error
 * thrown by `check` ends the wait at once: the demo should say what went wrong, not time out.
 */
export async function pollUntil<T>(check: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(100);
  }
}
