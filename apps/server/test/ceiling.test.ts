// The parts of bench:ceiling and bench:profile whose mistakes would not show in their figures:
// how a CPU profile is grouped, how captured SQL is bound to another caller, how CPU is read
// from /proc, and the shape of the JSON line the run ends with.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageJsonNames, packageOfScript, summariseProfiles, type CpuProfile } from "../benchmarks/ceiling/cpu-profile.ts";
import { cpuMsByProcess, cpuSpent, processTree } from "@daycarat/devkit";
import { bindParameters, dependencies, traceParameters } from "../benchmarks/ceiling/replay.ts";
import { ceilingLine, ceilingTable, type TargetFigures } from "../benchmarks/ceiling/summary.ts";

const serverFolder = fileURLToPath(new URL("..", import.meta.url));

describe("CPU profile summary", () => {
  let folder = "";
  let profile: CpuProfile;
  afterAll(() => rm(folder, { recursive: true, force: true }));

  /** A real profile: a script that spends its time in zod and in jose (whose HMAC runs in node:crypto). */
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), "ceiling-test-profile-"));
    const script = `
      import { z } from "zod";
      import { SignJWT, jwtVerify } from "jose";
      const key = new TextEncoder().encode("a secret of enough length for HS256");
      const token = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).sign(key);
      const schema = z.object({ id: z.uuid(), tags: z.array(z.string().min(1)) });
      const until = Date.now() + 600;
      while (Date.now() < until) {
        for (let i = 0; i < 50; i++) schema.parse({ id: crypto.randomUUID(), tags: ["a", "b", "c"] });
        await jwtVerify(token, key);
      }`;
    const run = spawnSync(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${folder}`, "--input-type=module", "-e", script], {
      cwd: serverFolder,
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    const [file] = await readdir(folder);
    if (!file) throw new Error("node --cpu-prof wrote no profile");
    profile = JSON.parse(await readFile(path.join(folder, file), "utf8")) as CpuProfile;
  });

  it("charges self time to packages, Node's own code to the package that called it", () => {
    const summary = summariseProfiles([profile], packageJsonNames());
    const groups = new Map(summary.groups.map((group) => [group.group, group]));

    expect(summary.samples).toBeGreaterThan(50);
    expect(groups.get("zod")?.share).toBeGreaterThan(0.05);
    // The HMAC itself runs in node:crypto and counts as jose's (about 40 %; jose's own code is a few %).
    expect(groups.get("jose")?.share).toBeGreaterThan(0.15);
    expect([...groups.keys()].filter((group) => group.startsWith("node:") || group.includes("/node_modules/"))).toEqual([]);
    expect(summary.groups.reduce((sum, group) => sum + group.share, 0)).toBeCloseTo(1, 6);
    expect(summary.groups.reduce((sum, group) => sum + group.samples, 0)).toBe(summary.samples);
    expect(summary.groups.map((group) => group.samples)).toEqual(summary.groups.map((group) => group.samples).sort((a, b) => b - a));
  });

  it("counts only the samples inside the window", () => {
    const names = packageJsonNames();
    const before = { startUs: profile.startTime - 2_000_000, endUs: profile.startTime - 1_000_000 };
    expect(summariseProfiles([profile], names, before).samples).toBe(0);
    const middle = (profile.startTime + profile.endTime) / 2;
    const secondHalf = summariseProfiles([profile], names, { startUs: middle, endUs: profile.endTime + 1 });
    const whole = summariseProfiles([profile], names);
    expect(secondHalf.samples).toBeGreaterThan(0);
    expect(secondHalf.samples).toBeLessThan(whole.samples);
  });

  it("names the package of a script: npm (pnpm's layout, scoped or not), the workspace, or none for Node's own", () => {
    const names = packageJsonNames();
    const pnpm = "file:///repo/node_modules/.pnpm/@trpc+server@11.7.1/node_modules/@trpc/server/dist/index.mjs";
    expect(packageOfScript(pnpm, names)).toBe("@trpc/server");
    expect(packageOfScript("file:///repo/node_modules/.pnpm/pg@8.16.3/node_modules/pg/lib/client.js", names)).toBe("pg");
    expect(packageOfScript(pathToFileURL(fileURLToPath(import.meta.url)).href, names)).toBe("@daycarat/server");
    expect(packageOfScript("node:internal/crypto/util", names)).toBeUndefined();
    expect(packageOfScript("", names)).toBeUndefined();
  });
});

describe("SQL replay", () => {
  const recordedAs = "0195f2a4-0000-7000-8000-000000000001";
  const tagA = "0195f2a4-0000-7000-8000-00000000000a";
  const episodeA = "0195f2a4-0000-7000-8000-0000000000e1";
  const episodeB = "0195f2a4-0000-7000-8000-0000000000e2";
  // The shape Prisma sends for a list with relations: the page, then each relation by the page's ids.
  const queries = [
    { sql: 'SELECT id, "activityTagId" FROM episodes WHERE "userId" = $1 LIMIT $2 OFFSET $3', params: [recordedAs, "21", "0"] },
    { sql: "SELECT id, name FROM activity_tags WHERE id IN ($1,$2) OFFSET $3", params: [tagA, tagA, "0"] },
    {
      sql: 'SELECT content FROM episode_contents WHERE position = $1 AND "episodeId" IN ($2,$3) OFFSET $4',
      params: [0, episodeA, episodeB, "0"],
    },
  ];
  const rows = [
    [
      { id: episodeA, activityTagId: tagA },
      { id: episodeB, activityTagId: tagA },
    ],
    [{ id: tagA, name: "큐시즘" }],
    [{ content: "…" }],
  ];

  it("traces each parameter to the caller, an earlier statement's row, or a constant", () => {
    const statements = traceParameters(queries, rows, recordedAs);
    expect(statements.map((statement) => statement.parameters)).toEqual([
      [{ caller: true }, { value: "21" }, { value: "0" }],
      [{ statement: 0, row: 0, column: "activityTagId" }, { statement: 0, row: 0, column: "activityTagId" }, { value: "0" }],
      [{ value: 0 }, { statement: 0, row: 0, column: "id" }, { statement: 0, row: 1, column: "id" }, { value: "0" }],
    ]);
    expect(statements.map(dependencies)).toEqual([[], [0], [0]]);
  });

  it("binds them for another caller from that caller's rows, NULL where their page is shorter", () => {
    const [, , contents] = traceParameters(queries, rows, recordedAs);
    const [first] = traceParameters(queries, rows, recordedAs);
    const otherUser = "0195f2a4-0000-7000-8000-000000000002";
    expect(first && bindParameters(first, otherUser, [])).toEqual([otherUser, "21", "0"]);
    const theirPage = [[{ id: "their-only-episode", activityTagId: null }]];
    expect(contents && bindParameters(contents, otherUser, theirPage)).toEqual([0, "their-only-episode", null, "0"]);
  });
});

describe("CPU from /proc", () => {
  it("finds the children of a process and the CPU the tree spent", async () => {
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30_000)"], { stdio: "ignore" });
    try {
      await once(child, "spawn");
      expect(processTree(process.pid).map((stat) => stat.pid)).toContain(child.pid);

      const before = cpuMsByProcess(process.pid);
      const start = process.cpuUsage();
      // Busy until this process has used 200 ms of CPU, however loaded the machine is.
      while (process.cpuUsage(start).user + process.cpuUsage(start).system < 200_000) Math.sqrt(Math.random());
      const spent = cpuSpent(before, cpuMsByProcess(process.pid));
      expect(spent.totalMs).toBeGreaterThanOrEqual(150);
      expect(spent.processes).toBeGreaterThanOrEqual(2);
    } finally {
      child.kill();
    }
  });
});

describe("the ceiling's results", () => {
  const figures = (maxRps: number, staggeredP99Ms = 9): TargetFigures => ({
    maxRps,
    halfRate: Math.floor(maxRps / 2),
    latency: {
      staggered: { requestsPerSecond: maxRps / 2, p50Ms: 3, p99Ms: staggeredP99Ms },
      burst: { requestsPerSecond: maxRps / 2, p50Ms: 12, p99Ms: 40 },
    },
    cpuMsPerRequest: 1,
    bytes: 100,
    failures: 0,
  });

  it("is one line, keyed by path and scenario, with both medians and the median of the rounds' ratios", () => {
    const line = ceilingLine([
      {
        scenario: "episodes.list first page",
        path: "trpc",
        project: figures(412.25),
        raw: figures(824.5),
        roundRatios: [0.4, 0.5, 0.55],
        ratio: 0.5,
      },
      { scenario: "stats.counts", path: "rest", project: figures(500), raw: figures(0), roundRatios: [Infinity], ratio: Infinity },
    ]);
    expect(line).not.toContain("\n");
    expect(JSON.parse(line)).toEqual({
      ceiling: {
        "trpc episodes.list first page": { project_rps: 412.3, raw_rps: 824.5, ratio: 0.5 },
        "rest stats.counts": { project_rps: 500, raw_rps: 0, ratio: null },
      },
    });
  });

  it("judges the p99 goal at half the maximum on the staggered run, and shows the bursts beside it", () => {
    const row = (scenario: string, staggeredP99Ms: number) => ({
      scenario,
      path: "trpc" as const,
      project: figures(1000, staggeredP99Ms),
      raw: figures(1200),
      roundRatios: [0.8],
      ratio: 0.8,
    });
    const [header, , met, missed] = ceilingTable([row("stats.counts", 24.9), row("episodes.list first page", 25)]);
    expect(header).toContain("p99 < 25 ms");
    expect(met).toContain("| 3.0 / 24.9 | met | 3.0 / 9.0 | 12.0 / 40.0 · 12.0 / 40.0 |");
    expect(missed).toContain("| 3.0 / 25.0 | MISSED |");
  });
});
