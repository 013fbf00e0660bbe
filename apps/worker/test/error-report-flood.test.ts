import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { createDayCaratClient, memoryTokenStore } from "@daycarat/client";
import { ensureDatabase, migrateDatabase } from "@daycarat/db";
import { startEmbeddedPostgres } from "@daycarat/db/embedded";
import { captureLogs, freePort, startFakeSlack, startProcess, waitFor, waitForStatus } from "@daycarat/testkit";

// A database outage seen by a real worker and a real server process, both reporting to a Slack
// webhook stand-in: each logs many ERROR lines that differ in errors (refused, terminated,
// shutting down, starting up), worker ids, job ids, ports and counts, and Slack still gets one
// post per process and log message.

const WORKER_MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const SERVER_MAIN = fileURLToPath(new URL("../../server/src/main.ts", import.meta.url));
/** The places that log an outage: the worker's job queue, the server's job queue and its requests. */
const PLACES_THAT_LOG_AN_OUTAGE = 3;
const ERROR_LINES_DURING_OUTAGE = 150;

const dataDir = await mkdtemp(path.join(tmpdir(), "daycarat-flood-"));
const postgresOptions = { dataDir, port: await freePort(), logger: captureLogs().logger };
let postgres = await startEmbeddedPostgres(postgresOptions);
afterAll(async () => {
  await postgres.stop();
  await rm(dataDir, { recursive: true, force: true });
});
await ensureDatabase(postgres.url, "daycarat");
const databaseUrl = postgres.urlFor("daycarat");
await migrateDatabase({ databaseUrl, logger: postgresOptions.logger });

const slack = await startFakeSlack();
// A period longer than the test: every post is a first occurrence, none a repeat summary.
const env = { DATABASE_URL: databaseUrl, LOG_LEVEL: "info", SLACK_WEBHOOK_URL: slack.webhookUrl, SLACK_ERROR_THROTTLE_SECONDS: "600" };
const worker = startProcess(WORKER_MAIN, env);
const serverPort = await freePort();
// One serving process, as the test says: a cluster's processes each report on their own, and
// their number (one per core) would move the count of posts with the machine.
const server = startProcess(SERVER_MAIN, { ...env, WEB_CONCURRENCY: "1", HOST: "127.0.0.1", PORT: String(serverPort) });
const serverUrl = `http://127.0.0.1:${serverPort}`;
await waitFor(() => Promise.resolve(worker.output().includes('"msg":"worker started"') || undefined), 30_000, "the worker to start");
await waitForStatus(`${serverUrl}/readyz`, 200, 30_000);

const errorLines = (output: string) =>
  output.split("\n").filter((line) => line.startsWith("{") && (JSON.parse(line) as { level: number }).level >= 50);

it("posts one report per process and log message for one database outage, however many errors each logs", async () => {
  const client = createDayCaratClient({ url: serverUrl, tokens: memoryTokenStore() });
  await client.auth.dev.mutate({ email: "outage@daycarat.dev" });

  await postgres.stop();
  await waitFor(
    async () => {
      // Requests fail on the server while the worker's queues fail to fetch.
      await Promise.allSettled([client.me.get.query(), client.episodes.list.query({}), client.notifications.unreadCount.query()]);
      return errorLines(worker.output()).length + errorLines(server.output()).length >= ERROR_LINES_DURING_OUTAGE || undefined;
    },
    60_000,
    `${ERROR_LINES_DURING_OUTAGE} error lines during the outage`,
  );
  postgres = await startEmbeddedPostgres(postgresOptions);
  await waitForStatus(`${serverUrl}/readyz`, 200, 30_000);

  // Stopping flushes the reports in flight: every post the outage caused has arrived after this.
  worker.child.kill("SIGTERM");
  server.child.kill("SIGTERM");
  await Promise.all([worker.exited(30_000), server.exited(30_000)]);

  const logged = errorLines(worker.output()).length + errorLines(server.output()).length;
  const posts = slack.webhookPosts;
  // A post's first line names the process and the log message.
  const headings = posts.map((post) => post.split("\n")[0]);
  console.log(`database outage: ${logged} error lines logged, ${posts.length} Slack posts:\n${headings.join("\n")}`);
  expect(logged).toBeGreaterThanOrEqual(ERROR_LINES_DURING_OUTAGE);
  expect(new Set(headings).size).toBe(headings.length);
  expect(posts.length).toBeLessThanOrEqual(PLACES_THAT_LOG_AN_OUTAGE);
  // Both processes reported the outage.
  expect(posts.some((post) => post.includes("in *worker*"))).toBe(true);
  expect(posts.some((post) => post.includes("in *server*"))).toBe(true);
});
