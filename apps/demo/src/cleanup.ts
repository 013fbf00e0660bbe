import { createCleanupStack } from "@daycarat/devkit";
import { printNote, say } from "./print.ts";

export interface Cleanup {
  /** Remembers how to stop something just started; stopped in reverse order. */
  add: (what: string, stop: () => Promise<void>) => void;
  /** Stops everything once (later calls wait for the first); false when something would not stop. */
  run: () => Promise<boolean>;
}

/** What the demo started, stopped last-started first: the worker before the server, the database last. */
export function createCleanup(): Cleanup {
  const stack = createCleanupStack({
    undone: (what) => {
      say(`stopped ${what}`);
    },
    failed: (what, error) => {
      printNote(`could not stop ${what}: ${error instanceof Error ? error.message : String(error)}`);
    },
  });
  let running: Promise<boolean> | undefined;
  return {
    add: (what, stop) => {
      stack.push(stop, what);
    },
    run: () => (running ??= stack.run()),
  };
}
