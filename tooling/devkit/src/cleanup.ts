export interface CleanupStack {
  /** Remembers how to undo something just done; `what` names it in reports. */
  push(cleanup: () => Promise<void>, what?: string): void;
  /** How many steps are registered: pass it to `run` to undo only what came after. */
  depth(): number;
  /**
   * Runs the steps registered since the stack had `depth` entries (all by default), newest
   * first. A step that fails is reported and the others still run; resolves false if one failed.
   */
  run(depth?: number): Promise<boolean>;
}

export interface CleanupReports {
  undone?: (what: string) => void;
  failed?: (what: string, error: unknown) => void;
}

/** What a run started, undone in reverse order: the worker before the server, the database last. */
export function createCleanupStack(reports: CleanupReports = {}): CleanupStack {
  const steps: { cleanup: () => Promise<void>; what: string }[] = [];
  const failed =
    reports.failed ??
    ((what, error) => {
      console.error(`clean-up step (${what}) failed:`, error);
    });
  return {
    push: (cleanup, what = "a clean-up step") => steps.push({ cleanup, what }),
    depth: () => steps.length,
    async run(depth = 0) {
      let clean = true;
      for (let step = steps.length > depth ? steps.pop() : undefined; step; step = steps.length > depth ? steps.pop() : undefined) {
        try {
          await step.cleanup();
          reports.undone?.(step.what);
        } catch (error) {
          clean = false;
          failed(step.what, error);
        }
      }
      return clean;
    },
  };
}
