// CPU time of a process and everything it started (node:cluster workers), read from Linux's
// /proc/<pid>/stat: user + system time, in clock ticks.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

interface ProcessStat {
  pid: number;
  parentPid: number;
  cpuTicks: number;
}

/** The fields after the command name, which is in parentheses and may itself hold spaces or parentheses. */
function readStat(pid: number): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined; // it ended meanwhile
  }
  // From field 3 (state) on: ppid is field 4, utime 14, stime 15.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { pid, parentPid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

function allProcesses(): ProcessStat[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => readStat(Number(name)) ?? []);
}

/** The process and its descendants, alive now. */
export function processTree(rootPid: number): ProcessStat[] {
  const processes = allProcesses();
  const tree = processes.filter((stat) => stat.pid === rootPid);
  // The loop reaches the children it appends, and theirs.
  for (const parent of tree) tree.push(...processes.filter((stat) => stat.parentPid === parent.pid));
  return tree;
}

/** CPU time in ms so far, per process of the tree, by pid. */
export function cpuMsByProcess(rootPid: number): Map<number, number> {
  return new Map(processTree(rootPid).map((stat) => [stat.pid, (stat.cpuTicks * 1000) / TICKS_PER_SECOND]));
}

export interface CpuSpent {
  totalMs: number;
  /** Processes that used any CPU between the two readings. */
  busyProcesses: number;
  /** Processes in the tree at the end. */
  processes: number;
}

/** CPU time in ms so far of the process and everything it started, together. */
export function treeCpuMs(rootPid: number): number {
  return [...cpuMsByProcess(rootPid).values()].reduce((sum, ms) => sum + ms, 0);
}

/** The CPU the tree spent between two readings; a process born meanwhile counts from zero. */
export function cpuSpent(before: Map<number, number>, after: Map<number, number>): CpuSpent {
  const spent = [...after].map(([pid, ms]) => ms - (before.get(pid) ?? 0));
  return {
    totalMs: spent.reduce((sum, ms) => sum + ms, 0),
    busyProcesses: spent.filter((ms) => ms > 0).length,
    processes: after.size,
  };
}
