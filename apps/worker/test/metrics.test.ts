import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createDayCaratClient, memoryTokenStore } from "@daycarat/client";
import { analyzeGemJob, notifyUserJob } from "@daycarat/jobs";
import {
  createTestDatabase,
  freePort,
  scrapeMetrics,
  startFakeFcm,
  startServerProcess,
  startWorkerProcess,
  waitFor,
  type Scrape,
} from "@daycarat/testkit";
import { gemReadyToSubmit, settledAnalysis, startScriptedModel } from "./analysis-kit.ts";
import { fcmEnv, pushReadyUser, settledDeliveries } from "./push-kit.ts";

// The real server and worker processes with their metrics on, scraped over HTTP while one gem
// goes from the request to the model and on to a push (the OpenAI and FCM stand-ins behind
// the real SDKs).

const SERVER_MAIN = fileURLToPath(new URL("../../server/src/main.ts", import.meta.url));
const WORKER_MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const OPS = new URL("../../../ops/", import.meta.url);

const { db, url: databaseUrl } = await createTestDatabase();
const model = await startScriptedModel();
const fcm = await startFakeFcm();
const [serverMetricsPort, workerMetricsPort] = [await freePort(), await freePort()];
const serverMetrics = `http://127.0.0.1:${serverMetricsPort}/metrics`;
const workerMetrics = `http://127.0.0.1:${workerMetricsPort}/metrics`;
// Round prices, so that the expected cost reads plainly: 812 input and 640 output tokens per answer.
const AI_PRICES = JSON.stringify({ "gpt-4o": { input: 1_000, output: 2_000 } });

const server = await startServerProcess(SERVER_MAIN, { DATABASE_URL: databaseUrl, METRICS_PORT: String(serverMetricsPort) });
const worker = startWorkerProcess(WORKER_MAIN, {
  DATABASE_URL: databaseUrl,
  HOST: "127.0.0.1",
  WORKER_METRICS_PORT: String(workerMetricsPort),
  OPENAI_API_KEY: "sk-test",
  OPENAI_BASE_URL: model.baseUrl,
  OPENAI_MODEL: "gpt-4o-mini",
  AI_PRICES,
  ...fcmEnv(fcm),
});
afterAll(() => Promise.all([server.stop(), worker.stop()]));

const api = {
  db,
  async signIn(email: string) {
    const tokens = memoryTokenStore();
    const client = createDayCaratClient({ url: server.url, tokens });
    const session = await client.auth.dev.mutate({ email });
    return { client, tokens, userId: session.user.id };
  },
};

/** The scrape once `ready` holds for it. */
const scrapeUntil = (url: string, ready: (scrape: Scrape) => boolean, what: string) =>
  waitFor(
    async () => {
      const scrape = await scrapeMetrics(url);
      return ready(scrape) ? scrape : undefined;
    },
    20_000,
    what,
  );

describe("the metrics endpoints", () => {
  it("count a request per procedure, the job, the model call and the push a gem leads to", async () => {
    const before = await scrapeUntil(workerMetrics, (scrape) => scrape.names.has("daycarat_jobs_total"), "the worker's metrics");
    await pushReadyUser(api, "metrics@daycarat.dev", ["metrics-device"]);
    const { client, userId, episodeId } = await gemReadyToSubmit(api, { email: "metrics@daycarat.dev", title: "지표 보석" });
    const analysis = await client.gems.submit.mutate({ episodeId });
    expect((await settledAnalysis(db, analysis.id, 20_000)).status).toBe("SUCCEEDED");
    await settledDeliveries(db, userId, `analysis:${analysis.id}:succeeded`, 20_000);

    const onServer = await scrapeMetrics(serverMetrics);
    expect(onServer.value("daycarat_http_requests_total", { procedure: "gems.submit", code: "200" })).toBe(1);
    expect(onServer.value("daycarat_http_request_duration_seconds_count", { procedure: "gems.submit" })).toBe(1);

    const after = await scrapeUntil(
      workerMetrics,
      (scrape) => scrape.value("daycarat_push_total", { outcome: "sent" }) > before.value("daycarat_push_total", { outcome: "sent" }),
      "the push counted",
    );
    const moved = (name: string, labels: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
    expect(moved("daycarat_jobs_total", { queue: analyzeGemJob.name, outcome: "completed" })).toBe(1);
    expect(moved("daycarat_jobs_total", { queue: notifyUserJob.name, outcome: "completed" })).toBe(1);
    expect(moved("daycarat_job_duration_seconds_count", { queue: analyzeGemJob.name })).toBe(1);
    expect(moved("daycarat_ai_calls_total", { outcome: "answered" })).toBe(1);
    expect(moved("daycarat_ai_tokens_total", { model: "gpt-4o-mini", kind: "input" })).toBe(812);
    expect(moved("daycarat_ai_tokens_total", { model: "gpt-4o-mini", kind: "output" })).toBe(640);
    // "gpt-4o" prices "gpt-4o-mini" (a prefix): (812 × 1,000 + 640 × 2,000) / 1M.
    expect(moved("daycarat_ai_cost_usd_total", { model: "gpt-4o-mini" })).toBeCloseTo(2.092, 9);
    expect(moved("daycarat_push_total", { outcome: "sent" })).toBe(1);
    expect(fcm.delivered.filter((message) => message.token === "metrics-device")).toHaveLength(1);
  });

  it("label requests by procedure or route template, never by the raw path", async () => {
    const { client, tokens } = await api.signIn("metrics-labels@daycarat.dev");
    await client.me.get.query();
    const authorization = `Bearer ${(await tokens.get())?.accessToken ?? ""}`;
    expect((await fetch(`${server.url}/api/v1/me`, { headers: { authorization } })).status).toBe(200);
    expect((await fetch(`${server.url}/api/v1/episodes/0193a0c4-0000-7000-8000-00000000abcd`, { headers: { authorization } })).status).toBe(
      404,
    );
    expect((await fetch(`${server.url}/trpc/no.such.procedure`)).status).toBe(404);
    expect((await fetch(`${server.url}/user/0193a0c4-0000-7000-8000-00000000abcd`)).status).toBe(404);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    const scrape = await scrapeMetrics(serverMetrics);
    // tRPC and REST calls of one procedure count together.
    expect(scrape.value("daycarat_http_requests_total", { procedure: "me.get", code: "200" })).toBe(2);
    expect(scrape.value("daycarat_http_requests_total", { procedure: "episodes.get", code: "404" })).toBe(1);
    expect(scrape.value("daycarat_http_requests_total", { procedure: "unknown", code: "404" })).toBe(2);
    expect(scrape.value("daycarat_http_requests_total", { procedure: "/healthz", code: "200" })).toBeGreaterThanOrEqual(1);
    const procedures = scrape.series("daycarat_http_requests_total").map((labels) => labels.procedure ?? "");
    expect(procedures.filter((procedure) => /[0-9a-f]{8}-|no\.such/.test(procedure))).toEqual([]);
  });

  it("show live subscriptions, the pool and every queue's figures", async () => {
    const { client } = await api.signIn("metrics-live@daycarat.dev");
    const started = Promise.withResolvers<undefined>();
    const subscription = client.notifications.onNew.subscribe(undefined, {
      onStarted: () => {
        started.resolve(undefined);
      },
    });
    await started.promise;
    try {
      expect((await scrapeMetrics(serverMetrics)).value("daycarat_sse_connections")).toBe(1);
    } finally {
      subscription.unsubscribe();
    }
    await scrapeUntil(serverMetrics, (scrape) => scrape.value("daycarat_sse_connections") === 0, "the subscription to end");

    for (const url of [serverMetrics, workerMetrics]) {
      const scrape = await scrapeMetrics(url);
      expect(scrape.value("daycarat_db_pool_connections", { state: "total" })).toBeGreaterThan(0);
      expect(scrape.names).toContain("process_cpu_seconds_total");
    }
    const onWorker = await scrapeMetrics(workerMetrics);
    const states = onWorker.series("daycarat_queue_jobs").filter((labels) => labels.queue === analyzeGemJob.name);
    expect(states.map((labels) => labels.state).sort()).toEqual(["active", "dead_letters", "deferred", "failed", "ready"]);
    expect(onWorker.series("daycarat_queue_oldest_ready_seconds").map((labels) => labels.queue)).toContain(notifyUserJob.name);
  });

  it("expose every daycarat_ metric that the example alert rules and the dashboard query", async () => {
    const [onServer, onWorker] = await Promise.all([scrapeMetrics(serverMetrics), scrapeMetrics(workerMetrics)]);
    const exposed = new Set([...onServer.names, ...onWorker.names]);
    const rules = readFileSync(new URL("prometheus/alerts.yml", OPS), "utf8");
    const dashboard = JSON.parse(readFileSync(new URL("grafana/daycarat.json", OPS), "utf8")) as {
      panels: { targets: { expr: string }[] }[];
    };
    const queries = [rules, ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr))];
    const named = new Set(queries.flatMap((query) => query.match(/\bdaycarat_\w+/g) ?? []));
    expect(named.size).toBeGreaterThan(10);
    expect([...named].filter((name) => !exposed.has(name))).toEqual([]);
  });
});
