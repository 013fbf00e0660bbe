import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it, onTestFinished } from "vitest";
import { withConnection } from "@daycarat/db";
import { freePort, startProcess, waitForStatus } from "@daycarat/testkit";

// As `npm start` runs it: built (pnpm build).
const LAUNCHER_MAIN = fileURLToPath(new URL("../dist/main.mjs", import.meta.url));

it("runs the whole system on an embedded database that keeps its data across restarts", { timeout: 90_000 }, async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), "daycarat-launcher-"));
  onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
  const [port, databasePort, webPort, metricsPort, workerMetricsPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const env = {
    DATABASE_URL: "",
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
    WORKER_METRICS_PORT: String(workerMetricsPort),
    EMBEDDED_POSTGRES_DIR: dataDir,
    EMBEDDED_POSTGRES_PORT: String(databasePort),
    WEB_PORT: String(webPort),
    LOG_LEVEL: "info",
  };
  const databaseUrl = `postgresql://postgres:postgres@127.0.0.1:${databasePort}/daycarat`;
  const readyz = `http://127.0.0.1:${port}/readyz`;

  const first = startProcess(LAUNCHER_MAIN, env);
  await waitForStatus(readyz, 200, 60_000);
  await expect.poll(() => first.output(), { timeout: 10_000 }).toContain('"msg":"worker started"');
  // The web app on its own origin, named with the others.
  const webApp = await waitForStatus(`http://localhost:${webPort}/`, 200, 30_000);
  expect(await webApp.text()).toContain('<meta charset="UTF-8" />');
  await expect.poll(() => first.output(), { timeout: 10_000 }).toContain(`web app http://localhost:${webPort}`);
  // Both processes' metrics, on the ports given, named with the rest.
  const metrics = [`http://localhost:${metricsPort}/metrics`, `http://localhost:${workerMetricsPort}/metrics`];
  expect(first.output()).toContain(`metrics: server ${metrics[0]}, worker ${metrics[1]}`);
  for (const url of metrics) expect(await (await waitForStatus(url, 200, 10_000)).text()).toContain("daycarat_db_pool_connections");
  await withConnection(databaseUrl, (client) =>
    client.query(`INSERT INTO users (id, nickname, "updatedAt") VALUES (gen_random_uuid(), '다시 만나요', now())`),
  );

  expect(first.output()).toContain("creating embedded Postgres cluster");

  const stopping = Date.now();
  first.child.kill("SIGTERM");
  expect((await first.exited(10_000)).code).toBe(0);
  expect(Date.now() - stopping).toBeLessThan(10_000);
  // Everything stopped, the database too.
  await expect(fetch(readyz)).rejects.toThrow();
  await expect(withConnection(databaseUrl, (client) => client.query("SELECT 1"))).rejects.toThrow();

  const second = startProcess(LAUNCHER_MAIN, env);
  await waitForStatus(readyz, 200, 60_000);
  const { rows } = await withConnection(databaseUrl, (client) => client.query<{ nickname: string }>("SELECT nickname FROM users"));
  expect(rows).toEqual([{ nickname: "다시 만나요" }]);
  second.child.kill("SIGTERM");
  expect((await second.exited(10_000)).code).toBe(0);
  expect(second.output()).not.toContain("creating embedded Postgres cluster");
});
