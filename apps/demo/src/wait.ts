import { waitUntil } from "@daycarat/devkit";

/**
 * Polls `check` every 100 ms until it returns a value. Unlike a test's waitFor, an error
 * thrown by `check` ends the wait at once: the demo should say what went wrong, not time out.
 */
export function pollUntil<T>(check: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs?: number): Promise<T> {
  return waitUntil(check, { what, timeoutMs });
}
