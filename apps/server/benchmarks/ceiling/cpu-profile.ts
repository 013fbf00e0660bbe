// Where a process's CPU time went, from the .cpuprofile that `node --cpu-prof` writes: each
// sample's time is charged to the function on top of the stack (its self time), and grouped by
// the package that function's file belongs to (see nodeGroups for Node's own code).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The parts of V8's profile format read here (Chrome DevTools' "Profile"). */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  /** Microseconds, on the clock of process.hrtime() (CLOCK_MONOTONIC on Linux). */
  startTime: number;
  endTime: number;
  /** The node on top of the stack at each sample. */
  samples: number[];
  /** Microseconds from the previous sample (the first: from startTime). */
  timeDeltas: number[];
}

export interface GroupShare {
  group: string;
  selfMs: number;
  /** Of all the CPU time sampled (idle excluded), 0–1. */
  share: number;
}

export interface ProfileSummary {
  /** CPU time sampled, idle excluded. */
  totalMs: number;
  /** Largest first. */
  groups: GroupShare[];
}

export const GARBAGE_COLLECTION = "garbage collection";
export const NODE_INTERNALS = "node internals";
/** V8's "(program)": native code outside any JavaScript function (the compiler, the parser, C++ bindings). */
export const NATIVE = "V8 / native";

/** The package a file belongs to: the name in the nearest package.json above it. */
export type PackageOfFile = (filePath: string) => string | undefined;

/** Reads package.json files, each folder once. */
export function packageJsonNames(): PackageOfFile {
  const byFolder = new Map<string, string | undefined>();
  const nameIn = (folder: string): string | undefined => {
    if (byFolder.has(folder)) return byFolder.get(folder);
    const manifest = path.join(folder, "package.json");
    const parent = path.dirname(folder);
    const name = existsSync(manifest)
      ? ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name ?? nameIn(parent))
      : parent === folder
        ? undefined
        : nameIn(parent);
    byFolder.set(folder, name);
    return name;
  };
  return (filePath) => nameIn(path.dirname(filePath));
}

const NODE_MODULES = "/node_modules/";

/**
 * The package of a script: the npm package it was installed as (the name after the last
 * node_modules/, which pnpm's .pnpm/<name>@<version>/node_modules/<name> layout keeps), or the
 * workspace package whose folder holds it. Undefined for Node's own modules (node:…) and for
 * V8 builtins (no URL, such as JSON.stringify).
 */
export function packageOfScript(url: string, packageOf: PackageOfFile): string | undefined {
  if (url === "" || url.startsWith("node:")) return undefined;
  const modules = url.lastIndexOf(NODE_MODULES);
  if (modules >= 0) {
    const [first = "", second = ""] = url.slice(modules + NODE_MODULES.length).split("/");
    return first.startsWith("@") ? `${first}/${second}` : first;
  }
  if (url.startsWith("file://")) return packageOf(fileURLToPath(url)) ?? "other";
  return "other";
}

/** V8's pseudo-functions. */
const PSEUDO_GROUPS = new Map<string, string | null>([
  ["(garbage collector)", GARBAGE_COLLECTION],
  ["(program)", NATIVE],
  ["(root)", NATIVE],
  // Not CPU time at all.
  ["(idle)", null],
]);

/**
 * The group each node's self time is charged to: its package; for Node's own code and V8
 * builtins, the package that called them (jose's HMAC runs in node:crypto, pg's socket
 * writes in node:net), and "node internals" or "V8 / native" only when no package did (the
 * event loop, the HTTP parser before a handler runs). Null: idle.
 */
function nodeGroups(profile: CpuProfile, packageOf: PackageOfFile): Map<number, string | null> {
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const callers = new Map<number, string | undefined>();
  /** The package of the node or of its nearest caller that has one. */
  const callingPackage = (id: number | undefined): string | undefined => {
    if (id === undefined) return undefined;
    if (callers.has(id)) return callers.get(id);
    const url = byId.get(id)?.callFrame.url ?? "";
    const owner = packageOfScript(url, packageOf) ?? callingPackage(parentOf.get(id));
    callers.set(id, owner);
    return owner;
  };
  const groups = new Map<number, string | null>();
  for (const node of profile.nodes) {
    const { functionName, url } = node.callFrame;
    const pseudo = PSEUDO_GROUPS.get(functionName);
    groups.set(node.id, pseudo !== undefined ? pseudo : (callingPackage(node.id) ?? (url.startsWith("node:") ? NODE_INTERNALS : NATIVE)));
  }
  return groups;
}

export interface TimeWindow {
  /** process.hrtime.bigint() / 1000n, as numbers: the profile's clock. */
  startUs: number;
  endUs: number;
}

/**
 * Self time per group over the profiles (one per process), counting only the samples taken
 * within `window` when one is given (the load, not the start-up).
 */
export function summariseProfiles(profiles: CpuProfile[], packageOf: PackageOfFile, window?: TimeWindow): ProfileSummary {
  const selfUs = new Map<string, number>();
  for (const profile of profiles) {
    const groups = nodeGroups(profile, packageOf);
    let at = profile.startTime;
    const times = profile.timeDeltas.map((delta) => (at += delta));
    profile.samples.forEach((nodeId, index) => {
      const time = times[index] ?? profile.endTime;
      if (window && (time < window.startUs || time >= window.endUs)) return;
      const group = groups.get(nodeId);
      if (!group) return;
      // A sample stands for the time until the next one.
      const duration = (times[index + 1] ?? profile.endTime) - time;
      selfUs.set(group, (selfUs.get(group) ?? 0) + duration);
    });
  }
  const totalUs = [...selfUs.values()].reduce((sum, us) => sum + us, 0);
  const groups = [...selfUs]
    .map(([group, us]) => ({ group, selfMs: us / 1000, share: totalUs > 0 ? us / totalUs : 0 }))
    .sort((a, b) => b.selfMs - a.selfMs);
  return { totalMs: totalUs / 1000, groups };
}

/** The top groups as a Markdown table, the others summed in one row. */
export function formatProfileSummary(summary: ProfileSummary, top: number): string[] {
  const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
  const shown = summary.groups.slice(0, top);
  const rest = summary.groups.slice(top);
  const lines = [`| group | self ms | share |`, `| --- | ---: | ---: |`];
  for (const { group, selfMs, share } of shown) lines.push(`| ${group} | ${selfMs.toFixed(0)} | ${percent(share)} |`);
  if (rest.length > 0) {
    const restMs = rest.reduce((sum, group) => sum + group.selfMs, 0);
    lines.push(`| ${rest.length} others | ${restMs.toFixed(0)} | ${percent(summary.totalMs > 0 ? restMs / summary.totalMs : 0)} |`);
  }
  lines.push(`| all (idle excluded) | ${summary.totalMs.toFixed(0)} | 100 % |`);
  return lines;
}
