import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { createDayCaratClient, memoryTokenStore } from "@daycarat/client";
import {
  createTestDatabase,
  startFakeFcm,
  startOtlpReceiver,
  startServerProcess,
  startWorkerProcess,
  waitFor,
  type ReceivedSpan,
} from "@daycarat/testkit";
import { fcmEnv } from "./push-kit.ts";
import { SOARA, startScriptedModel, validAnswer } from "./analysis-kit.ts";

// Tracing across processes: the real server and worker, exporting to a local OTLP receiver,
// make one trace of one gem submission, from the HTTP request to the push. Without an OTLP
// endpoint they load no OpenTelemetry SDK at all.

const SERVER_MAIN = fileURLToPath(import.meta.resolve("@daycarat/server/main"));
const WORKER_MAIN = fileURLToPath(import.meta.resolve("@daycarat/worker/main"));
/** Makes a process print the SDK modules it loads (see loaded-modules.ts). */
const REPORT_SDK_MODULES = { NODE_OPTIONS: `--import=${fileURLToPath(new URL("loaded-modules.ts", import.meta.url))}` };
const loadedModule = (part: string) => new RegExp(`loaded module: \\S*${part}`);
const TRACING_SDK = loadedModule("/@opentelemetry/sdk-");
const OPENAI = loadedModule("/openai/");
const FIREBASE_ADMIN = loadedModule("/firebase-admin/");

const model = await startScriptedModel();
const fcm = await startFakeFcm();
const receiver = await startOtlpReceiver();

async function startSystem(databaseUrl: string, tracing: NodeJS.ProcessEnv) {
  const server = await startServerProcess(SERVER_MAIN, { DATABASE_URL: databaseUrl, ...REPORT_SDK_MODULES, ...tracing });
  onTestFinished(() => server.stop());
  const worker = startWorkerProcess(WORKER_MAIN, {
    DATABASE_URL: databaseUrl,
    // Its "worker started" line tells when it is up.
    LOG_LEVEL: "info",
    OPENAI_API_KEY: "sk-test",
    OPENAI_BASE_URL: model.baseUrl,
    ...fcmEnv(fcm),
    ...REPORT_SDK_MODULES,
    ...tracing,
  });
  onTestFinished(() => worker.stop());
  return { server, worker };
}

/** A user who allows pushes on one device submits a gem. */
async function submitGem(url: string, title: string): Promise<void> {
  const client = createDayCaratClient({ url, tokens: memoryTokenStore() });
  await client.auth.dev.mutate({ email: `${title}@tracing.dev` });
  await client.me.update.mutate({ pushAllowed: true });
  await client.preferences.update.mutate({ quietHours: { enabled: false } });
  await client.devices.register.mutate({ token: `device-of-${title}`, platform: "ANDROID" });
  const episode = await client.episodes.create.mutate({
    title,
    date: "2026-03-14",
    activityTag: "IT 동아리",
    contents: [{ type: "LESSONS_LEARNED", content: "로그를 먼저 모으는 습관이 생겼다" }],
  });
  await client.gems.saveDraft.mutate({ episodeId: episode.id, ...SOARA });
  await client.gems.submit.mutate({ episodeId: episode.id });
}

/** The spans of `traceId` received so far. */
const spansOf = (traceId: string) => receiver.spans.filter((span) => span.traceId === traceId);

function findSpan(spans: readonly ReceivedSpan[], what: string, matches: (span: ReceivedSpan) => boolean): ReceivedSpan {
  const span = spans.find(matches);
  if (!span) throw new Error(`no ${what} span among: ${spans.map((each) => `${each.service}/${each.name}`).join(", ")}`);
  return span;
}

/** `span`, its parent, its parent's parent, … as far as they have arrived. */
function pathToRoot(spans: readonly ReceivedSpan[], span: ReceivedSpan): ReceivedSpan[] {
  const parent = spans.find((each) => each.spanId === span.parentSpanId);
  return parent ? [span, ...pathToRoot(spans, parent)] : [span];
}

/** Whether `descendant` is `ancestor` or below it in the trace. */
const descendsFrom = (spans: readonly ReceivedSpan[], descendant: ReceivedSpan, ancestor: ReceivedSpan) =>
  pathToRoot(spans, descendant).includes(ancestor);

describe("tracing", () => {
  it("follows one gem submission in one trace, from the HTTP request through the worker to the push", async () => {
    const { url: databaseUrl } = await createTestDatabase();
    const title = "traced-gem";
    model.script(title, validAnswer("PROBLEM_SOLVING"));
    const { server, worker } = await startSystem(databaseUrl, {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      // Exported at once rather than every 5 s.
      OTEL_BSP_SCHEDULE_DELAY: "100",
    });
    await submitGem(server.url, title);

    const submit = await waitFor(
      () => Promise.resolve(receiver.spans.find((span) => span.name === "trpc gems.submit")),
      20_000,
      "the gems.submit span",
    );
    // The trace is complete up to the push once every span from the push up to the root has arrived
    // (a span is exported when it ends, and a parent ends after its children).
    const spans = await waitFor(
      () => {
        const trace = spansOf(submit.traceId);
        const push = trace.find((span) => span.name === "fcm send");
        return Promise.resolve(push && pathToRoot(trace, push).at(-1)?.parentSpanId === "" ? trace : undefined);
      },
      30_000,
      "the push's span and its ancestors in the submission's trace",
    );

    const request = findSpan(spans, "HTTP request", (span) => span.name === "POST /trpc/:path" && span.kind === "SERVER");
    expect(request).toMatchObject({ service: "daycarat-server", scope: "@fastify/otel" });
    expect(descendsFrom(spans, submit, request)).toBe(true);
    const prisma = findSpan(
      spans,
      "Prisma",
      (span) => span.service === "daycarat-server" && span.name.startsWith("prisma:client:operation"),
    );
    const query = findSpan(spans, "pg query", (span) => span.service === "daycarat-server" && span.scope.includes("instrumentation-pg"));
    for (const span of [prisma, query]) expect(descendsFrom(spans, span, submit)).toBe(true);

    const sent = findSpan(spans, "enqueue", (span) => span.kind === "PRODUCER" && span.name === "send analysis.run");
    expect(sent.service).toBe("daycarat-server");
    expect(descendsFrom(spans, sent, submit)).toBe(true);
    const run = findSpan(spans, "job run", (span) => span.kind === "CONSUMER" && span.name === "process analysis.run");
    expect(run).toMatchObject({ service: "daycarat-worker", parentSpanId: sent.spanId });

    const modelCall = findSpan(spans, "OpenAI call", (span) => span.scope.includes("instrumentation-undici") && span.kind === "CLIENT");
    expect(modelCall.service).toBe("daycarat-worker");
    expect(modelCall.attributes["url.full"]).toBe(`${model.baseUrl}/chat/completions`);
    expect(descendsFrom(spans, modelCall, run)).toBe(true);

    const push = findSpan(spans, "FCM call", (span) => span.name === "fcm send");
    expect(push).toMatchObject({ service: "daycarat-worker", kind: "CLIENT" });
    expect(descendsFrom(spans, push, run)).toBe(true);
    expect(pathToRoot(spans, push).at(-1)).toBe(request);

    // Positive control for the test below: with tracing on, both processes did load the SDK.
    for (const process of [server, worker]) expect(process.output()).toMatch(TRACING_SDK);
    await Promise.all([server.stop(), worker.stop()]);
  }, 60_000);

  it("loads no OpenTelemetry SDK while OTEL_EXPORTER_OTLP_ENDPOINT is unset, and openai and firebase-admin only once needed", async () => {
    const { url: databaseUrl } = await createTestDatabase();
    const { server, worker } = await startSystem(databaseUrl, {});
    await waitFor(() => Promise.resolve(worker.output().includes('"msg":"worker started"') || undefined), 30_000, "the worker");
    // Configured for both, the idle worker has loaded neither SDK.
    expect(worker.output()).not.toMatch(OPENAI);
    expect(worker.output()).not.toMatch(FIREBASE_ADMIN);
    await submitGem(server.url, "untraced-gem");
    await waitFor(
      () => Promise.resolve(fcm.delivered.some((message) => message.token === "device-of-untraced-gem") || undefined),
      30_000,
      "the push",
    );

    for (const process of [server, worker]) expect(process.output()).not.toMatch(TRACING_SDK);
    // The analysis and its push brought them in; the server never loads them.
    expect(worker.output()).toMatch(OPENAI);
    expect(worker.output()).toMatch(FIREBASE_ADMIN);
    expect(server.output()).not.toMatch(OPENAI);
    expect(server.output()).not.toMatch(FIREBASE_ADMIN);
  }, 60_000);
});
