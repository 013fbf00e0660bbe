import { afterAll, onTestFinished } from "vitest";

/**
 * Runs `cleanup` after the current test, or after the file's tests when called outside one:
 * vitest never runs an afterAll registered inside a test.
 */
export function cleanUpAfter(cleanup: () => unknown): void {
  try {
    onTestFinished(async () => {
      await cleanup();
    });
  } catch {
    afterAll(async () => {
      await cleanup();
    });
  }
}
