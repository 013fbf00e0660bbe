// Where a process's CPU time went, from the .cpuprofile that `node --cpu-prof` writes: each
// sample is charged to the function on top of the stack (its self time), and grouped by the
// package that function's file belongs to (see nodeGroups for Node's own code). Shares count
// samples, not the time between them: on a loaded machine that time includes the spans the
// process waited for a core, so it measures wall time, not CPU.
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
  samples: number;
  /** Of all the samples (idle excluded), 0–1. */
  share: number;
}

export interface ProfileSummary {
  /** Idle excluded. */
  samples: number;
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
 * Samples per group over the profiles (one per process), counting only those taken within
 * `window` when one is given (the load, not the start-up).
 */
export function summariseProfiles(profiles: CpuProfile[], packageOf: PackageOfFile, window?: TimeWindow): ProfileSummary {
  const counts = new Map<string, number>();
  for (const profile of profiles) {
    const groups = nodeGroups(profile, packageOf);
    let at = profile.startTime;
    profile.samples.forEach((nodeId, index) => {
      at += profile.timeDeltas[index] ?? 0;
      if (window && (at < window.startUs || at >= window.endUs)) return;
      const group = groups.get(nodeId);
      if (group) counts.set(group, (counts.get(group) ?? 0) + 1);
    });
  }
  const samples = [...counts.values()].reduce((sum, count) => sum + count, 0);
  const groups = [...counts]
    .map(([group, count]) => ({ group, samples: count, share: count / samples }))
    .sort((a, b) => b.samples - a.samples);
  return { samples, groups };
}

/**
 * The top groups as a Markdown table, the others summed in one row; each group's share also
 * as CPU ms per request, of `cpuMsPerRequest` (the process's CPU as /proc counts it).
 */
export function formatProfileSummary(summary: ProfileSummary, top: number, cpuMsPerRequest: number): string[] {
  const row = (group: string, share: number) => `| ${group} | ${(share * 100).toFixed(1)} % | ${(share * cpuMsPerRequest).toFixed(3)} |`;
  const lines = ["| group | share of samples | ≈ CPU ms per request |", "| --- | ---: | ---: |"];
  for (const { group, share } of summary.groups.slice(0, top)) lines.push(row(group, share));
  const rest = summary.groups.slice(top);
  if (rest.length > 0)
    lines.push(
      row(
        `${rest.length} others`,
        rest.reduce((sum, group) => sum + group.share, 0),
      ),
    );
  lines.push(`| all (${summary.samples} samples, idle excluded) | 100 % | ${cpuMsPerRequest.toFixed(3)} |`);
  return lines;
}
