import { afterAll, expect, it } from "vitest";
import { startTestApi } from "@daycarat/server/testing";
import { analyzeGemJob, startJobQueue, sweepLostAnalysesJob } from "@daycarat/jobs";
import { captureLogs, waitFor } from "@daycarat/testkit";
import { findAnalysis, gemReadyToSubmit, inboxOf, startScriptedModel } from "./analysis-kit.ts";
import { startTestWorker } from "./test-worker.ts";

// An analysis whose job pg-boss gave up on (its worker died on every retry) must not stay
// RUNNING for ever: the scheduled sweep fails it and tells the user.

const model = await startScriptedModel();
const api = await startTestApi();
await startTestWorker(api.databaseUrl, { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: model.baseUrl });
const jobs = await startJobQueue({ databaseUrl: api.databaseUrl, runsMaintenance: false, maxConnections: 2, logger: captureLogs().logger });
afterAll(() => jobs.stop({ graceful: false }));

/** A RUNNING analysis of a fresh gem, last touched `minutesAgo`, with no job of its own. */
async function runningAnalysis(email: string, minutesAgo: number) {
  const { userId, episodeId } = await gemReadyToSubmit(api, { email, title: email });
  const gem = await api.db.gem.findUniqueOrThrow({ where: { episodeId } });
  const analysis = await api.db.analysis.create({
    data: { gemId: gem.id, userId, gemVersion: gem.version, status: "RUNNING", attempts: 1 },
  });
  await api.db.$executeRaw`
    UPDATE analyses SET "updatedAt" = now() - make_interval(mins => ${minutesAgo}) WHERE id = ${analysis.id}::uuid`;
  return { userId, episodeId, analysisId: analysis.id };
}

it("fails analyses whose job is gone for good, and only those", async () => {
  const lost = await runningAnalysis("lost@x.dev", 30);
  const recent = await runningAnalysis("recent@x.dev", 2);
  const queued = await runningAnalysis("queued@x.dev", 30);
  // Its job waits to run later: the analysis is old but not lost.
  await jobs.enqueueAlone(analyzeGemJob, { analysisId: queued.analysisId }, { startAfter: new Date(Date.now() + 3_600_000) });

  await jobs.enqueueAlone(sweepLostAnalysesJob, {});

  const failed = await waitFor(
    async () => {
      const analysis = await findAnalysis(api.db, lost.analysisId);
      return analysis.status === "FAILED" ? analysis : undefined;
    },
    15_000,
    "the lost analysis to fail",
  );
  expect(failed.failureReason).toBe("AI_WORKER_LOST");
  const [notification] = await inboxOf(api.db, lost.userId);
  expect(notification).toMatchObject({ type: "ANALYSIS_FAILED", data: { episodeId: lost.episodeId, analysisId: lost.analysisId } });
  expect((await findAnalysis(api.db, recent.analysisId)).status).toBe("RUNNING");
  expect((await findAnalysis(api.db, queued.analysisId)).status).toBe("RUNNING");
  expect(model.requests).toEqual([]);
});
