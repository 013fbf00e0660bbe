import { cpus, totalmem } from "node:os";

/**
 * CPU time (ms) all the machine's cores have spent busy since boot, whichever process used it:
 * the difference of two readings shows whether a run had the machine to itself or filled it.
 */
export function machineBusyCpuMs(): number {
  return cpus().reduce((total, { times }) => total + times.user + times.nice + times.sys + times.irq, 0);
}

/** Cores, CPU model, memory and Node version, for the first line of a report. */
export function machineFacts(): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  return `${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}`;
}

/**
 * How a benchmark started its serving processes, for its report: the node flags it gave them,
 * the NODE_OPTIONS they inherit (where an operator's heap limits replace the given ones), and
 * malloc's settings, the given ones or else the inherited ones.
 */
export function describeProcessSettings(nodeArgs: readonly string[], env: NodeJS.ProcessEnv): string {
  const nodeOptions = process.env.NODE_OPTIONS ? [`NODE_OPTIONS="${process.env.NODE_OPTIONS}"`] : [];
  const flags = [...nodeArgs, ...nodeOptions].join(" ") || "V8's default heap sizes";
  const tunables = env.GLIBC_TUNABLES ?? process.env.GLIBC_TUNABLES;
  return `${flags}, ${tunables ? `GLIBC_TUNABLES=${tunables}` : "glibc's malloc defaults"}`;
}

/**
 * Runs a benchmark's main function as the process's exit code, cleaning up after it, after a
 * failure, and on Ctrl+C.
 */
export async function runBenchmark(main: () => Promise<number>, cleanUp: () => Promise<unknown>): Promise<void> {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping and cleaning up…`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  try {
    process.exitCode = await main();
  } catch (error) {
    console.error("benchmark failed:", error);
    process.exitCode = 1;
  } finally {
    await cleanUp();
  }
}
