import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { startTestApi } from "@daycarat/server/testing";
import { startProcess } from "@daycarat/testkit";
import {
  analysisJobsFor,
  inboxOf,
  notificationJobsFor,
  outcomes,
  settledAnalysis,
  startScriptedModel,
  submitGem,
  validAnswer,
} from "./analysis-kit.ts";

// A worker killed (SIGKILL: no shutdown, no cleanup) while the model is answering: its job's
// heartbeat stops, pg-boss hands the job out again, and a new worker finishes it once.

const WORKER_MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const CRASH_TIMEOUT_MS = 60_000;

const model = await startScriptedModel();
const api = await startTestApi();
const workerEnv = {
  DATABASE_URL: api.databaseUrl,
  OPENAI_API_KEY: "sk-test",
  OPENAI_BASE_URL: model.baseUrl,
  LOG_LEVEL: "info",
};

it(
  "finishes the job of a worker killed in the middle of a model call, once",
  async () => {
    const title = "죽은 워커";
    model.script(title, { hang: true }, validAnswer("EXPERTISE"));
    const first = startProcess(WORKER_MAIN, workerEnv);
    await expect.poll(() => first.output(), { timeout: 30_000 }).toContain('"msg":"worker started"');
    const { userId, episodeId, analysisId } = await submitGem(api, { email: "crash@x.dev", title });

    await model.waitForCalls(title, 1);
    first.child.kill("SIGKILL");
    await expect(first.exited()).resolves.toEqual({ code: null, signal: "SIGKILL" });
    expect(await api.db.analysis.findUniqueOrThrow({ where: { id: analysisId } })).toMatchObject({ status: "RUNNING", attempts: 1 });

    const second = startProcess(WORKER_MAIN, workerEnv);
    const analysis = await settledAnalysis(api.db, analysisId, CRASH_TIMEOUT_MS);
    await expect.poll(() => second.output()).toContain('"msg":"analysis succeeded"');

    expect(analysis).toMatchObject({ status: "SUCCEEDED", keyword: "EXPERTISE", attempts: 2 });
    // The killed call never ended, so only the second one is in the log.
    expect(outcomes(analysis.attemptLog)).toEqual(["ANSWERED"]);
    expect(model.chatsAbout(title)).toHaveLength(2);
    const [job, ...moreJobs] = await analysisJobsFor(api.db, analysisId);
    expect(moreJobs).toEqual([]);
    expect(job).toMatchObject({ state: "completed", retryCount: 1 });

    const [notification, ...moreNotifications] = await inboxOf(api.db, userId);
    expect(moreNotifications).toEqual([]);
    expect(notification).toMatchObject({ title: "보석 가공이 완료되었어요", data: { episodeId, analysisId } });
    const requests = await notificationJobsFor(api.db, analysisId);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.data.dedupeKey).toBe(`analysis:${analysisId}:succeeded`);
    expect(await api.db.analysis.count({ where: { gem: { episodeId } } })).toBe(1);
  },
  CRASH_TIMEOUT_MS + 30_000,
);
