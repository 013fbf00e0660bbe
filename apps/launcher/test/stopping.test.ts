import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { withConnection } from "@daycarat/db";
import { removeDataDir } from "@daycarat/devkit";
import { errorLines, freePort } from "@daycarat/testkit";
import { alive, postmasterPid, startSystem, untilGone, untilUp, type StartedSystem, type SystemSettings } from "./system.ts";

// Stopping the system as a terminal (Ctrl+C: SIGINT to the foreground process group) and a
// supervisor (SIGTERM to the group) do: every process of it gone, the embedded Postgres
// included, cleanly; and starting again after that, after the launcher was killed, and as root
// from a checkout inside a private folder.

const CHECKOUT = fileURLToPath(new URL("../../..", import.meta.url));
const STOPPED_WITHIN_MS = 10_000;
/** Starts and disposes of a throwaway Postgres as the global setup does, printing who it runs as. */
const HARNESS_CHECK = `
import { withConnection } from "@daycarat/db";
import { removeDataDir } from "@daycarat/devkit";
import { createLogger } from "@daycarat/logger";
import { provideThrowawayPostgres } from "./src/index.ts";
const postgres = await provideThrowawayPostgres(undefined, createLogger({ service: "check", level: "warn", pretty: false }));
const { rows } = await withConnection(postgres.url, (client) =>
  client.query("SELECT current_user AS user, count(*)::int AS databases FROM pg_database WHERE datname = 'postgres'"));
await postgres.dispose();
console.log(JSON.stringify(rows[0]));
`;

async function systemSettings(checkout: string, dataDir: string): Promise<SystemSettings> {
  return { checkout, dataDir, port: await freePort(), databasePort: await freePort(), webPort: await freePort() };
}

function databaseUrl(settings: SystemSettings): string {
  return `postgresql://postgres:postgres@127.0.0.1:${settings.databasePort}/daycarat`;
}

/** A data folder inside a new temporary (private) folder, both removed after the test. */
async function temporaryDataDir(prefix: string): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), prefix));
  const dataDir = path.join(folder, "postgres");
  onTestFinished(async () => {
    await removeDataDir(dataDir);
    await rm(folder, { recursive: true, force: true });
  });
  return dataDir;
}

/** Starts the system and waits until it is up; returns it with the processes it runs. */
async function startedSystem(settings: SystemSettings): Promise<{ system: StartedSystem; processes: number[] }> {
  const system = startSystem(settings);
  await untilUp(system, settings);
  const processes = system.processes();
  // npm, its shell, the launcher, server, worker, and Postgres with its own processes.
  expect(processes.length).toBeGreaterThanOrEqual(6);
  return { system, processes };
}

/** Signals the whole process group and checks that everything stopped cleanly in time. */
async function expectCleanStop(started: { system: StartedSystem; processes: number[] }, signal: NodeJS.Signals, settings: SystemSettings) {
  process.kill(-started.system.group, signal);
  const { code } = await started.system.exit;
  await untilGone(started.processes, STOPPED_WITHIN_MS);
  expect(code, started.system.output()).toBe(0);
  expect(errorLines(started.system.output())).toEqual([]);
  expect(started.system.output()).toContain('"msg":"stopped"');
  await expect(fetch(`http://127.0.0.1:${settings.port}/readyz`)).rejects.toThrow();
  await expect(withConnection(databaseUrl(settings), (client) => client.query("SELECT 1"))).rejects.toThrow();
}

describe("npm start", () => {
  it("stops cleanly on Ctrl+C and on SIGTERM to its process group, and starts again after either, and after the launcher was killed", async () => {
    const dataDir = await temporaryDataDir("daycarat-stopping-");
    const settings = await systemSettings(CHECKOUT, dataDir);

    const first = await startedSystem(settings);
    await withConnection(databaseUrl(settings), (client) =>
      client.query(`INSERT INTO users (id, nickname, "updatedAt") VALUES (gen_random_uuid(), '그대로', now())`),
    );
    await expectCleanStop(first, "SIGINT", settings);

    const second = await startedSystem(settings);
    const { rows } = await withConnection(databaseUrl(settings), (client) =>
      client.query<{ nickname: string }>("SELECT nickname FROM users"),
    );
    expect(rows).toEqual([{ nickname: "그대로" }]);
    await expectCleanStop(second, "SIGTERM", settings);

    // Killed: no chance to stop anything. Server and worker see their channel to it close and stop;
    // the embedded Postgres runs on, and the next start takes it over.
    const third = await startedSystem(settings);
    const postmaster = postmasterPid(settings.dataDir);
    const postgres = third.processes.filter(isPostgres);
    process.kill(third.system.launcherPid(), "SIGKILL");
    await untilGone(
      third.processes.filter((pid) => !postgres.includes(pid)),
      STOPPED_WITHIN_MS,
    );
    expect(postmaster && alive([postmaster])).toEqual([postmaster]);

    const fourth = await startedSystem(settings);
    expect(fourth.system.output()).toContain("reusing the embedded Postgres already running from its folder");
    await expectCleanStop(fourth, "SIGINT", settings);
  }, 240_000);

  it("names a port another process holds, the embedded Postgres's or the API's, in one line", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    onTestFinished(
      () =>
        new Promise<void>((resolve) =>
          holder.close(() => {
            resolve();
          }),
        ),
    );
    const heldPort = (holder.address() as { port: number }).port;
    const settings = await systemSettings(CHECKOUT, await temporaryDataDir("daycarat-port-"));

    for (const [held, message] of [
      [{ databasePort: heldPort }, `port ${heldPort} is in use by another process, not by the embedded Postgres of`],
      [{ port: heldPort }, `port ${heldPort} is in use by another process (is DayCarat already running?)`],
    ] as const) {
      const system = startSystem({ ...settings, ...held });
      expect((await system.exit).code).toBe(1);
      const errors = errorLines(system.output());
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(message);
    }
  }, 60_000);

  it.skipIf(userInfo().uid !== 0)(
    "starts as root from a checkout inside a folder only root may enter, and stops cleanly",
    async () => {
      const privateFolder = await mkdtemp(path.join(tmpdir(), "daycarat-private-"));
      const checkout = path.join(privateFolder, "daycarat");
      // Hard links: a whole checkout, node_modules and the Postgres binaries included, in seconds.
      execFileSync("cp", ["-al", CHECKOUT, checkout]);
      // A fresh clone has no data: the checkout's own .data (a link to its cluster, as root) is not copied, nor removed with the copy.
      await rm(path.join(checkout, ".data"), { recursive: true, force: true });
      const settings = await systemSettings(checkout, path.join(checkout, ".data/postgres"));
      onTestFinished(async () => {
        await removeDataDir(settings.dataDir);
        await rm(privateFolder, { recursive: true, force: true });
      });

      const first = await startedSystem(settings);
      expect(first.system.output()).toContain("creating embedded Postgres cluster");
      await expectCleanStop(first, "SIGTERM", settings);

      const second = await startedSystem(settings);
      await expectCleanStop(second, "SIGINT", settings);

      // The test command's own Postgres (the global setup's), from the same checkout, its temporary folder private too.
      const privateTmp = path.join(privateFolder, "tmp");
      await mkdir(privateTmp, { mode: 0o700 });
      const check = path.join(checkout, "tooling/devkit/harness-check.ts");
      await writeFile(check, HARNESS_CHECK);
      const answer = execFileSync(process.execPath, [check], { env: { ...process.env, TMPDIR: privateTmp }, encoding: "utf8" });
      expect(JSON.parse(answer)).toEqual({ user: "postgres", databases: 1 });
      expect(await readdir(privateTmp)).toEqual([]);
    },
    180_000,
  );
});

function isPostgres(pid: number): boolean {
  try {
    return execFileSync("ps", ["-o", "comm=", "-p", String(pid)], { encoding: "utf8" })
      .trim()
      .startsWith("postgres");
  } catch {
    return false;
  }
}
