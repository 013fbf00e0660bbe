import { printNote, say } from "./print.ts";

export interface Cleanup {
  /** Remembers how to stop something just started; stopped in reverse order. */
  add: (what: string, stop: () => Promise<void>) => void;
  /** Stops everything once (later calls wait for the first); false when something would not stop. */
  run: () => Promise<boolean>;
}

/** What the demo started, stopped last-started first: the worker before the server, the database last. */
export function createCleanup(): Cleanup {
  const stack: { what: string; stop: () => Promise<void> }[] = [];
  let running: Promise<boolean> | undefined;

  async function stopAll(): Promise<boolean> {
    let clean = true;
    for (const { what, stop } of stack.reverse()) {
      try {
        await stop();
        say(`stopped ${what}`);
      } catch (error) {
        clean = false;
        printNote(`could not stop ${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return clean;
  }

  return {
    add: (what, stop) => stack.push({ what, stop }),
    run: () => (running ??= stopAll()),
  };
}
