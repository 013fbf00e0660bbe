import { expect, it } from "vitest";
import { startTestApi } from "@daycarat/server/testing";
import { deadLettersFor, inboxOf, notificationJobsFor, outcomes, settledAnalysis, startScriptedModel, submitGem } from "./analysis-kit.ts";
import { startTestWorker } from "./test-worker.ts";

// A worker started without OPENAI_API_KEY: it says so at start-up, and every analysis fails
// at once without a single model call.

const model = await startScriptedModel();
const api = await startTestApi();
const { logs } = await startTestWorker(api.databaseUrl, { OPENAI_BASE_URL: model.baseUrl });

it("warns at start-up that analyses cannot run", () => {
  const warnings = logs.lines().filter((line) => line.level === 40);
  expect(warnings.map((line) => line.msg)).toContainEqual(expect.stringContaining("OPENAI_API_KEY is not set"));
});

it("fails an analysis at once with AI_NOT_CONFIGURED, tells the user and parks the job", async () => {
  const { userId, episodeId, analysisId } = await submitGem(api, { email: "no-key@x.dev", title: "키 없음" });
  const analysis = await settledAnalysis(api.db, analysisId);
  expect(analysis).toMatchObject({ status: "FAILED", failureReason: "AI_NOT_CONFIGURED", attempts: 0, keyword: null });
  expect(outcomes(analysis.attemptLog)).toEqual([]);
  const [deadLetter] = await deadLettersFor(api.db, analysisId);
  expect(deadLetter?.data).toEqual({ job: "analysis.run", payload: { analysisId }, reason: "AI_NOT_CONFIGURED" });
  const [notification] = await inboxOf(api.db, userId);
  expect(notification).toMatchObject({ type: "ANALYSIS_FAILED", title: "보석 가공에 실패했어요", data: { episodeId, analysisId } });
  expect(await notificationJobsFor(api.db, analysisId)).toHaveLength(1);
  expect(model.requests).toEqual([]);
});
