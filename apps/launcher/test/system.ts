import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { hasExited, METRICS_OFF, waitForStatus, waitUntil, type ProcessExit } from "@daycarat/devkit";
import { cleanUpAfter } from "@daycarat/testkit";

// The system as the README starts it (`npm start`, past its install and build steps: npm
// running the launcher's start script), in a process group of its own like a terminal's
// foreground job, so that a test can signal the whole group as Ctrl+C or a supervisor does.

export interface SystemSettings {
  /** The checkout to start it from. */
  checkout: string;
  port: number;
  databasePort: number;
  webPort: number;
  dataDir: string;
}

export interface StartedSystem {
  /** npm's pid, which leads the process group. */
  group: number;
  output(): string;
  exit: Promise<ProcessExit>;
  /** Every process of the system now: npm and everything below it, and the Postgres server with its own. */
  processes(): number[];
  /** The launcher itself (the node process npm's script runs). */
  launcherPid(): number;
}

interface ProcessEntry {
  pid: number;
  ppid: number;
  state: string;
  command: string;
}

function processTable(): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // The command sits in parentheses and may contain spaces; the fields after it are fixed.
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const command = readFileSync(`/proc/${name}/cmdline`, "utf8").replaceAll("\0", " ").trim();
      entries.push({ pid: Number(name), ppid: Number(ppid), state: state ?? "", command });
    } catch {
      // it ended while we looked
    }
  }
  return entries;
}

function withDescendants(table: ProcessEntry[], roots: number[]): number[] {
  const found = new Set(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const entry of table) {
      if (found.has(entry.ppid) && !found.has(entry.pid)) {
        found.add(entry.pid);
        grew = true;
      }
    }
  }
  return [...found];
}

/** The processes of `pids` still alive (a zombie has ended; only its parent has not collected it yet). */
export function alive(pids: number[]): number[] {
  const living = new Set(
    processTable()
      .filter((entry) => entry.state !== "Z")
      .map((entry) => entry.pid),
  );
  return pids.filter((pid) => living.has(pid));
}

/** The Postgres server's pid, from the postmaster.pid of its data folder. */
export function postmasterPid(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    return undefined;
  }
}

export function startSystem(settings: SystemSettings, env: NodeJS.ProcessEnv = {}): StartedSystem {
  const child = spawn("npm", ["start", "--silent"], {
    cwd: path.join(settings.checkout, "apps/launcher"),
    env: {
      ...process.env,
      DATABASE_URL: "",
      PORT: String(settings.port),
      EMBEDDED_POSTGRES_DIR: settings.dataDir,
      EMBEDDED_POSTGRES_PORT: String(settings.databasePort),
      WEB_PORT: String(settings.webPort),
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
      ...METRICS_OFF,
      ...env,
    },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exit = new Promise<ProcessExit>((resolve) =>
    child.once("exit", (code, signal) => {
      resolve({ code, signal });
    }),
  );
  const group = child.pid ?? 0;
  cleanUpAfter(() => {
    if (!hasExited(child)) process.kill(-group, "SIGKILL");
  });
  return {
    group,
    output: () => output,
    exit,
    processes: () => {
      const table = processTable();
      const postmaster = postmasterPid(settings.dataDir);
      return withDescendants(table, [group, ...(postmaster ? [postmaster] : [])]).filter((pid) => table.some((entry) => entry.pid === pid));
    },
    launcherPid: () => {
      const table = processTable();
      const ours = withDescendants(table, [group]);
      const launcher = table.find(
        (entry) => ours.includes(entry.pid) && entry.command.endsWith("node dist/main.mjs") && !entry.command.startsWith("sh"),
      );
      if (!launcher) throw new Error("no launcher process found");
      return launcher.pid;
    },
  };
}

/** Resolves once the API answers /readyz and the worker has started. */
export async function untilUp(system: StartedSystem, settings: SystemSettings): Promise<void> {
  await waitForStatus(`http://127.0.0.1:${settings.port}/readyz`, { timeoutMs: 60_000 });
  await waitUntil(() => system.output().includes('"msg":"worker started"') || undefined, {
    what: "the worker to start",
    timeoutMs: 30_000,
  });
}

/** Resolves once none of `pids` is alive; fails after `timeoutMs`, naming the ones left. */
export async function untilGone(pids: number[], timeoutMs: number): Promise<void> {
  await waitUntil(() => (alive(pids).length === 0 ? true : undefined), { what: `processes ${pids.join(", ")} to end`, timeoutMs }).catch(
    (error: unknown) => {
      throw new Error(`still running after ${timeoutMs} ms: ${alive(pids).join(", ")}`, { cause: error });
    },
  );
}
