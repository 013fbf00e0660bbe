// V8 sizes its heap for throughput, not for a small server: on this machine an idle server
// process held a 64 MB young generation, and ten seconds of load grew the old generation to
// 200 MB of mostly garbage (its live objects were about 60 MB; BENCHMARKS.md, "Footprint").
// These limits make it collect sooner. They are command-line flags, read when the process
// starts, so they are given to the processes the cluster primary and the launcher start, with
// malloc's settings (an environment variable, read at start too).

/** Young generation: each of its two semi-spaces, in MB (V8's default grows to 32 or 64). */
const SEMI_SPACE_MB = 8;
/** Old generation, in MB: three times the server's live heap under load. Raise it through NODE_OPTIONS. */
const OLD_SPACE_MB = 192;

const LIMITS = [
  { flag: "--max-semi-space-size", value: SEMI_SPACE_MB },
  { flag: "--max-old-space-size", value: OLD_SPACE_MB },
];

/**
 * The heap limits to start a serving process (a server or a worker) with: each one the
 * operator has not set already, in NODE_OPTIONS or on this process's own command line.
 */
export function heapLimitFlags(nodeOptions = process.env.NODE_OPTIONS ?? "", execArgv: readonly string[] = process.execArgv): string[] {
  const given = `${nodeOptions} ${execArgv.join(" ")}`;
  return LIMITS.filter(({ flag }) => !given.includes(flag)).map(({ flag, value }) => `${flag}=${value}`);
}

/**
 * glibc's malloc raises its mmap threshold, and its trim threshold with it (up to 64 MB), each
 * time a large block is freed: what start-up freed then stays in the process. A fixed threshold
 * keeps both at 128 kB: a server a few MB smaller idle and about 14 MB after load, its throughput
 * the same (BENCHMARKS.md).
 */
const MALLOC_TUNABLES = "glibc.malloc.mmap_threshold=131072";

/** The environment to start a serving process with: malloc's settings, unless the operator set their own. */
export function mallocEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return env.GLIBC_TUNABLES === undefined ? { GLIBC_TUNABLES: MALLOC_TUNABLES } : {};
}
