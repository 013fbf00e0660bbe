import { describe, expect, it } from "vitest";
import { errorCode } from "@daycarat/client";
import { startTestApi } from "@daycarat/server/testing";
import {
  analysisJobsFor,
  gemReadyToSubmit,
  maxInFlight,
  settledAnalysis,
  startScriptedModel,
  submitGem,
  validAnswer,
} from "./analysis-kit.ts";
import { startTestWorker } from "./test-worker.ts";

// The limits on model calls: one analysis per user at a time, AI_CONCURRENCY calls across
// every worker, and the daily quota of analyses a user may start.

const model = await startScriptedModel();
const api = await startTestApi({ AI_DAILY_QUOTA: "2" });
// Two workers, each willing to run two analyses at once: only the shared slots hold the total at two.
const workerEnv = { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: model.baseUrl, AI_CONCURRENCY: "2" };
await startTestWorker(api.databaseUrl, workerEnv);
await startTestWorker(api.databaseUrl, workerEnv);
const SLOW_MS = 1_000;

describe("analysis limits", () => {
  it("runs one analysis per user at a time", async () => {
    const titles = ["첫 번째 보석", "두 번째 보석"];
    for (const title of titles) model.script(title, validAnswer("EXECUTION", { delayMs: SLOW_MS }));
    const gems = [];
    for (const title of titles) gems.push(await gemReadyToSubmit(api, { email: "one-at-a-time@x.dev", title }));
    const started = await Promise.all(gems.map((gem) => gem.client.gems.submit.mutate({ episodeId: gem.episodeId })));

    for (const { id } of started) await expect(settledAnalysis(api.db, id, 20_000)).resolves.toMatchObject({ status: "SUCCEEDED" });
    const calls = model.arrivals.filter((arrival) => titles.includes(arrival.title));
    expect(calls).toHaveLength(2);
    expect(maxInFlight(calls)).toBe(1);
  });

  it("keeps at most AI_CONCURRENCY calls in flight across workers", async () => {
    const titles = ["동시 1", "동시 2", "동시 3", "동시 4", "동시 5"];
    for (const title of titles) model.script(title, validAnswer("EXECUTION", { delayMs: SLOW_MS }));
    const analyses = await Promise.all(titles.map((title, n) => submitGem(api, { email: `concurrent-${n}@x.dev`, title })));

    for (const { analysisId } of analyses) {
      await expect(settledAnalysis(api.db, analysisId, 20_000)).resolves.toMatchObject({ status: "SUCCEEDED" });
    }
    const calls = model.arrivals.filter((arrival) => titles.includes(arrival.title));
    expect(calls).toHaveLength(titles.length);
    // The limit is used, and never exceeded.
    expect(maxInFlight(calls)).toBe(2);
  });

  it("refuses to start more analyses a day than the quota", async () => {
    const email = "quota@x.dev";
    const first = await submitGem(api, { email, title: "할당량 1" });
    const second = await submitGem(api, { email, title: "할당량 2" });
    const third = await gemReadyToSubmit(api, { email, title: "할당량 3" });
    const refused = await third.client.gems.submit.mutate({ episodeId: third.episodeId }).catch((error: unknown) => error);
    expect(errorCode(refused)).toBe("TOO_MANY_REQUESTS");

    // Nothing was started for the refused gem: no analysis, no job, no model call.
    expect(await api.db.analysis.count({ where: { gem: { episodeId: third.episodeId } } })).toBe(0);
    for (const { analysisId } of [first, second]) {
      await expect(settledAnalysis(api.db, analysisId)).resolves.toMatchObject({ status: "SUCCEEDED" });
      expect(await analysisJobsFor(api.db, analysisId)).toHaveLength(1);
    }
    expect(await api.db.analysis.count({ where: { userId: third.userId } })).toBe(2);
    expect(model.chatsAbout("할당량 3")).toEqual([]);
  });
});
