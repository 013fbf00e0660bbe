import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import { createDayCaratClient, memoryTokenStore } from "@daycarat/client";
import {
  createTestDatabase,
  freePort,
  startFakeOpenAI,
  startServerProcess,
  startWorkerProcess,
  type ChatRequest,
  type ModelReply,
} from "@daycarat/testkit";
import { launchChromium } from "@daycarat/testkit/chromium";
import { buildWebApp } from "../scripts/build-web-app.ts";
import { listenWebApp, type WebAppServer } from "../scripts/static-server.ts";

// The whole system as a browser meets it: the real server and worker processes on a database
// of the file's own, the OpenAI stand-in, and the web app built and served on an origin of its
// own (plus a second origin that is not on the API's CORS allowlist).

const SERVER_MAIN = fileURLToPath(import.meta.resolve("@daycarat/server/main"));
const WORKER_MAIN = fileURLToPath(import.meta.resolve("@daycarat/worker/main"));

/** A cover-letter paragraph of 250 characters (the model's contract asks for 200–500). */
const sentence = (n: number) => `${n}번째 추천 문장: 마감 2주 전 로그인 오류를 팀과 함께 추적해 해결했습니다. `.padEnd(250, "가");
export const MODEL_SENTENCES = [1, 2, 3].map(sentence);

/** The model's every answer about an episode of this title is malformed, until the test says otherwise. */
export const FAILING_TITLE = "모델이 답하지 못하는 경험";
const MAX_ATTEMPTS = 2;

/**
 * Analyses answer EXECUTION after a pause, so that the app shows them waiting first; the
 * episode titled FAILING_TITLE fails its first analysis (every attempt malformed), then succeeds.
 */
function modelScript(): (chat: ChatRequest) => ModelReply {
  let failingCalls = 0;
  return (chat) => {
    const prompt = chat.messages.find((message) => message.role === "user")?.content ?? "";
    if (prompt.includes(FAILING_TITLE) && failingCalls++ < MAX_ATTEMPTS) return { toolCall: "{not json" };
    return { toolCall: { keyword: "EXECUTION", sentences: MODEL_SENTENCES }, delayMs: 2_500 };
  };
}

async function serveWebApp(outDir: string, port: number): Promise<WebAppServer> {
  const server = await listenWebApp(outDir, port);
  afterAll(() => server.close());
  return server;
}

export async function startWebSystem() {
  const { db, url: databaseUrl } = await createTestDatabase();
  const model = await startFakeOpenAI(modelScript());
  const [webPort, foreignPort] = [await freePort(), await freePort()];
  const webOrigin = `http://localhost:${webPort}`;
  const foreignOrigin = `http://localhost:${foreignPort}`;

  const api = await startServerProcess(SERVER_MAIN, { DATABASE_URL: databaseUrl, CORS_ORIGINS: webOrigin });
  afterAll(() => api.stop());
  const worker = startWorkerProcess(WORKER_MAIN, {
    DATABASE_URL: databaseUrl,
    OPENAI_API_KEY: "sk-test",
    OPENAI_BASE_URL: model.baseUrl,
    OPENAI_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
  });
  afterAll(() => worker.stop());

  // Built as a deployment would be: the API's address fixed at build time.
  const outDir = mkdtempSync(path.join(tmpdir(), "daycarat-web-"));
  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });
  await buildWebApp(outDir, { env: { VITE_API_URL: api.url } });
  await Promise.all([serveWebApp(outDir, webPort), serveWebApp(outDir, foreignPort)]);

  const browser = await launchChromium();
  afterAll(() => browser.close());

  /** A client of the API for arranging and checking, signed in as that user. */
  const signIn = async (email: string) => {
    const client = createDayCaratClient({ url: api.url, tokens: memoryTokenStore() });
    const { user } = await client.auth.dev.mutate({ email });
    return { client, userId: user.id };
  };
  return { db, apiUrl: api.url, webOrigin, foreignOrigin, browser, signIn };
}
