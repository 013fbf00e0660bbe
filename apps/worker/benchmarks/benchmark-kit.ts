import { cpus, totalmem } from "node:os";

// What a benchmark script needs around its measurement: its knobs, the clean-up stack that
// undoes what it started, and the machine facts its report opens with.

/** A whole-number knob from the environment; unset or empty gives the documented default. */
export function integerSetting(name: string, fallback: number, minimum = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum) throw new Error(`${name} must be a whole number of at least ${minimum}, not "${raw}"`);
  return value;
}

/** A comma-separated knob whose every part must be one of `allowed`. */
export function choiceListSetting<const Choice extends string>(name: string, allowed: readonly Choice[]): Choice[] {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return [...allowed];
  const parts = raw.split(",").map((part) => part.trim());
  const isAllowed = (part: string): part is Choice => (allowed as readonly string[]).includes(part);
  if (parts.length === 0 || !parts.every(isAllowed)) throw new Error(`${name} must be some of ${allowed.join(",")}, not "${raw}"`);
  return parts.filter(isAllowed);
}

export interface CleanupStack {
  push(cleanup: () => Promise<void>): void;
  /** How many steps are registered: pass it to `run` to undo only what came after. */
  depth(): number;
  /** Runs the steps registered since the stack had `depth` entries (all by default), newest first. */
  run(depth?: number): Promise<void>;
}

/** Undone in reverse order: at the end of each part, on the way out, or on Ctrl+C. */
export function createCleanupStack(): CleanupStack {
  const steps: (() => Promise<void>)[] = [];
  return {
    push: (cleanup) => steps.push(cleanup),
    depth: () => steps.length,
    async run(depth = 0) {
      while (steps.length > depth) {
        const step = steps.pop();
        await step?.().catch((error: unknown) => {
          console.error("clean-up step failed:", error);
        });
      }
    },
  };
}

/** Cores, CPU model, memory and Node version, for the first line of a report. */
export function machineFacts(): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  return `${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}`;
}
