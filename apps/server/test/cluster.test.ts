import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { withConnection } from "@daycarat/db";
import { MIGRATION_LOCK_ID } from "@daycarat/db/migrations";
import { startNodeProcess } from "@daycarat/devkit";
import { cleanUpAfter, createEmptyDatabase, freePort, waitFor, waitForStatus } from "@daycarat/testkit";

// WEB_CONCURRENCY server processes on one port under a primary, in a process group of their
// own like a terminal's foreground job, so that the test can press Ctrl+C (SIGINT to the group).

const SERVER_MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean).map(Number).sort();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface LogLine {
  level: number;
  msg: string;
  pid?: number;
  migration?: string;
}

function logLines(output: string): LogLine[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine);
}

/** The pids the primary reported listening, in order. */
function listeningPids(output: string): number[] {
  return logLines(output)
    .filter((line) => line.msg === "server process listening")
    .map((line) => line.pid ?? 0);
}

async function expectAllAnswer(base: string): Promise<void> {
  const statuses = await Promise.all(Array.from({ length: 20 }, () => fetch(`${base}/readyz`).then((response) => response.status)));
  expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));
}

/** A primary of two serving processes, as it starts. */
async function startPrimary(databaseUrl: string) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const primary = startNodeProcess(SERVER_MAIN, {
    env: { DATABASE_URL: databaseUrl, HOST: "127.0.0.1", PORT: String(port), WEB_CONCURRENCY: "2", LOG_LEVEL: "info", LOG_FORMAT: "json" },
    ownGroup: true,
  });
  const group = primary.child.pid ?? 0;
  cleanUpAfter(() => {
    if (!primary.hasExited()) process.kill(-group, "SIGKILL");
  });
  return { primary, group, base };
}

/** A primary with two serving processes, once both listen. */
async function startTwoProcesses(databaseUrl: string) {
  const { primary, group, base } = await startPrimary(databaseUrl);
  await waitForStatus(`${base}/readyz`, 200, 30_000);
  const first = await waitFor(() =>
    Promise.resolve(listeningPids(primary.output()).length === 2 ? listeningPids(primary.output()) : undefined),
  );
  return { primary, group, base, first };
}

it("serves from WEB_CONCURRENCY processes, replaces one that dies, and stops them all on Ctrl+C", { timeout: 90_000 }, async () => {
  const { url: databaseUrl } = await createEmptyDatabase();
  const { primary, group, base, first } = await startTwoProcesses(databaseUrl);
  expect(childrenOf(group)).toEqual([...first].sort());
  await expectAllAnswer(base);
  // Each serving process runs with the heap limits and malloc's settings (packages/lifecycle/src/heap-limits.ts).
  for (const pid of first) {
    expect(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")).toEqual(
      expect.arrayContaining(["--max-semi-space-size=8", "--max-old-space-size=192"]),
    );
    expect(readFileSync(`/proc/${pid}/environ`, "utf8").split("\0")).toContain("GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072");
  }
  // The migrations ran once, in the primary, before any process served.
  const lines = logLines(primary.output());
  const applied = lines.filter((line) => line.msg === "migration applied").map((line) => line.migration);
  expect(applied.length).toBeGreaterThan(0);
  expect(new Set(applied).size).toBe(applied.length);
  const messages = lines.map((line) => line.msg);
  expect(messages.indexOf("server process listening")).toBeGreaterThan(messages.lastIndexOf("migration applied"));

  const [crashed = 0, survivor = 0] = first;
  process.kill(crashed, "SIGKILL");
  const replacement = await waitFor(() => Promise.resolve(listeningPids(primary.output())[2]));
  expect(childrenOf(group)).toEqual([survivor, replacement].sort());
  expect(primary.output()).toContain('"msg":"a server process ended unexpectedly: starting another"');
  await expectAllAnswer(base);

  const beforeStop = primary.output().length;
  process.kill(-group, "SIGINT");
  expect((await primary.exited(15_000)).code).toBe(0);
  expect([survivor, replacement].filter(isAlive)).toEqual([]);
  const stopLines = logLines(primary.output().slice(beforeStop));
  expect(stopLines.filter((line) => line.level >= 50)).toEqual([]);
  // The primary and both serving processes stopped, each once.
  expect(stopLines.filter((line) => line.msg === "shutting down")).toHaveLength(3);
  await expect(fetch(`${base}/healthz`)).rejects.toThrow();
});

it("stops every process cleanly on SIGTERM to the primary alone", { timeout: 60_000 }, async () => {
  const { url: databaseUrl } = await createEmptyDatabase();
  const { primary, group, first } = await startTwoProcesses(databaseUrl);
  expect(childrenOf(group)).toEqual([...first].sort());

  primary.child.kill("SIGTERM");
  expect((await primary.exited(15_000)).code).toBe(0);
  expect(first.filter(isAlive)).toEqual([]);
  const lines = logLines(primary.output());
  expect(lines.filter((line) => line.level >= 50)).toEqual([]);
  expect(lines.filter((line) => line.msg === "shutting down")).toHaveLength(3);
});

it("starts one process while the primary migrates, serves once the migrations are applied, then starts the other", {
  timeout: 60_000,
}, async () => {
  const { url: databaseUrl } = await createEmptyDatabase();
  // The migrations' advisory lock, held by this connection, keeps the primary's migration waiting until it ends.
  const { primary, group, base, starting } = await withConnection(databaseUrl, async (lockHolder) => {
    await lockHolder.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    const started = await startPrimary(databaseUrl);
    const [first = 0] = await waitFor(() => Promise.resolve(childrenOf(started.group).length > 0 ? childrenOf(started.group) : undefined));
    // Time enough to load every module (a start takes about a second): it waits for the migrations.
    await sleep(3_000);
    expect(childrenOf(started.group)).toEqual([first]);
    await expect(fetch(`${started.base}/healthz`)).rejects.toThrow();
    expect(logLines(started.primary.output()).map((line) => line.msg)).not.toContain("migration applied");
    return { ...started, starting: first };
  });

  await waitForStatus(`${base}/readyz`, 200, 30_000);
  const listening = await waitFor(() =>
    Promise.resolve(listeningPids(primary.output()).length === 2 ? listeningPids(primary.output()) : undefined),
  );
  expect(listening[0]).toBe(starting);
  expect(childrenOf(group)).toEqual([...listening].sort());
});

it("stops, failing, when the primary cannot apply the migrations, and no process serves", { timeout: 60_000 }, async () => {
  const { url: databaseUrl } = await createEmptyDatabase();
  // A table in the way of the first migration.
  await withConnection(databaseUrl, (client) => client.query('CREATE TABLE "users" (id int)'));

  const { primary, base } = await startPrimary(databaseUrl);
  expect((await primary.exited(30_000)).code).toBe(1);
  const lines = logLines(primary.output());
  expect(lines.filter((line) => line.level >= 50).map((line) => line.msg)).toContain(
    "the server could not be prepared (migrations): stopping",
  );
  expect(lines.map((line) => line.msg)).not.toContain("server process listening");
  await expect(fetch(`${base}/healthz`)).rejects.toThrow();
});
