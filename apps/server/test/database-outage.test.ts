import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it, onTestFinished } from "vitest";
import { createDatabaseClient, ensureDatabase, migrateDatabase } from "@daycarat/db";
import { startEmbeddedPostgres } from "@daycarat/db/embedded";
import { captureLogs, freePort, waitForStatus } from "@daycarat/testkit";
import { startTestServer } from "./test-server.ts";

it("reports the database going away on /readyz and recovers without a restart", async () => {
  // A Postgres of this test's own, so that stopping it disturbs no other test.
  const dataDir = await mkdtemp(path.join(tmpdir(), "daycarat-outage-"));
  const options = { dataDir, port: await freePort(), logger: captureLogs().logger };
  let postgres = await startEmbeddedPostgres(options);
  onTestFinished(async () => {
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  await ensureDatabase(postgres.url, "daycarat");
  await migrateDatabase({ databaseUrl: postgres.urlFor("daycarat"), logger: options.logger });
  const db = createDatabaseClient(postgres.urlFor("daycarat"), { maxConnections: 2 });
  onTestFinished(() => db.$disconnect());
  const server = await startTestServer(db, postgres.urlFor("daycarat"));

  await waitForStatus(`${server.url}/readyz`, 200);
  await postgres.stop();
  const down = await waitForStatus(`${server.url}/readyz`, 503);
  expect(await down.json()).toMatchObject({ status: "unavailable" });
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

  postgres = await startEmbeddedPostgres(options);
  const back = await waitForStatus(`${server.url}/readyz`, 200);
  expect(await back.json()).toEqual({ status: "ready" });
});
