import { describe, it } from "vitest";
import { startTestApi } from "@daycarat/server/testing";
import {
  deadLettersFor,
  inboxOf,
  notificationJobsFor,
  outcomes,
  sentence,
  settledAnalysis,
  startScriptedModel,
  submitGem,
  validAnswer,
} from "./analysis-kit.ts";
import { startTestWorker } from "./test-worker.ts";

// How an analysis copes with a model that misbehaves: each case scripts the fake model's
// answers for its own gem, and checks what was retried, when, and what was kept.

const model = await startScriptedModel();
const api = await startTestApi();
// A short timeout so that a hanging model costs a second, and three calls per analysis.
await startTestWorker(api.databaseUrl, {
  OPENAI_API_KEY: "sk-test",
  OPENAI_BASE_URL: model.baseUrl,
  OPENAI_TIMEOUT_MS: "1000",
  OPENAI_MAX_ATTEMPTS: "3",
});
const sentences = (length: number) => [1, 2, 3].map((n) => sentence(n, length));

/** Milliseconds between the first two requests about the episode titled `title`. */
function gapBetweenCalls(title: string): number {
  const [first, second] = model.arrivals.filter((arrival) => arrival.title === title);
  if (!first || !second) throw new Error(`fewer than two calls about ${title}`);
  return second.at - first.at;
}

describe.concurrent("a misbehaving model", () => {
  it("malformed arguments are asked again at once", async ({ expect }) => {
    const title = "깨진 JSON";
    model.script(title, { toolCall: '{"keyword": "EXECUTION", "sentences": [' }, validAnswer("EXECUTION"));
    const { analysisId } = await submitGem(api, { email: "malformed@x.dev", title });
    const analysis = await settledAnalysis(api.db, analysisId);
    expect(analysis).toMatchObject({ status: "SUCCEEDED", keyword: "EXECUTION", attempts: 2, failureReason: null });
    expect(outcomes(analysis.attemptLog)).toEqual(["AI_MALFORMED_JSON", "ANSWERED"]);
    expect(gapBetweenCalls(title)).toBeLessThan(500);
  });

  it("an answer cut off at the token limit is asked again", async ({ expect }) => {
    const title = "잘린 답";
    model.script(title, { toolCall: '{"keyword": "EXECUTION", "sente', finishReason: "length" }, validAnswer("EXECUTION"));
    const { analysisId } = await submitGem(api, { email: "truncated@x.dev", title });
    const analysis = await settledAnalysis(api.db, analysisId);
    expect(analysis).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
    expect(outcomes(analysis.attemptLog)).toEqual(["AI_ANSWER_TRUNCATED", "ANSWERED"]);
  });

  it("a keyword outside the six is invalid", async ({ expect }) => {
    const title = "없는 키워드";
    model.script(title, { toolCall: { keyword: "LEADERSHIP", sentences: sentences(250) } }, validAnswer("CREATIVITY"));
    const { analysisId } = await submitGem(api, { email: "enum@x.dev", title });
    const analysis = await settledAnalysis(api.db, analysisId);
    expect(analysis).toMatchObject({ status: "SUCCEEDED", keyword: "CREATIVITY", attempts: 2 });
    expect(outcomes(analysis.attemptLog)).toEqual(["AI_ANSWER_OFF_SCHEMA", "ANSWERED"]);
  });

  it("sentences shorter than 200 or longer than 500 characters are invalid; 200 and 500 are fine", async ({ expect }) => {
    const title = "짧은 문장";
    const edges = [sentence(1, 200), sentence(2, 500), sentence(3, 350)];
    model.script(
      title,
      { toolCall: { keyword: "EXECUTION", sentences: sentences(199) } },
      { toolCall: { keyword: "EXECUTION", sentences: sentences(501) } },
      { toolCall: { keyword: "EXPERTISE", sentences: edges } },
    );
    const { analysisId } = await submitGem(api, { email: "short@x.dev", title });
    const analysis = await settledAnalysis(api.db, analysisId);
    expect(analysis).toMatchObject({ status: "SUCCEEDED", keyword: "EXPERTISE", sentences: edges, attempts: 3 });
    expect(outcomes(analysis.attemptLog)).toEqual(["AI_ANSWER_OFF_SCHEMA", "AI_ANSWER_OFF_SCHEMA", "ANSWERED"]);
  });

  it("a 429 is asked again once its retry-after has passed", async ({ expect }) => {
    const title = "너무 많은 요청";
    // Two seconds: longer than any backoff of a first retry (at most 1.5 s), so only retry-after explains the wait.
    model.script(title, { status: 429, headers: { "retry-after": "2" }, body: { error: { message: "slow down", type: "rate_limit" } } });
    const { analysisId } = await submitGem(api, { email: "ratelimit@x.dev", title });
    const analysis = await settledAnalysis(api.db, analysisId);
    expect(analysis).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
    expect(outcomes(analysis.attemptLog)).toEqual(["AI_RATE_LIMITED", "ANSWERED"]);
    expect(gapBetweenCalls(title)).toBeGreaterThanOrEqual(2_000);
    expect(gapBetweenCalls(title)).toBeLessThan(4_000);
  });

  it("a 500 is asked again after a backoff", async ({ expect }) => {
    const title = "서버 오류";
    model.script(title, { status: 500 });
    const { analysisId } = await submitGem(api, { email: "server-error@x.dev", title });
    const analysis = await settledAnalysis(api.db, analysisId);
    expect(analysis).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
    expect(outcomes(analysis.attemptLog)).toEqual(["AI_SERVER_ERROR_500", "ANSWERED"]);
    // One second with ±50 % jitter.
    expect(gapBetweenCalls(title)).toBeGreaterThanOrEqual(500);
    expect(gapBetweenCalls(title)).toBeLessThan(3_000);
  });

  it("a model that never answers times out and is asked again", async ({ expect }) => {
    const title = "응답 없음";
    model.script(title, { hang: true });
    const { analysisId } = await submitGem(api, { email: "timeout@x.dev", title });
    const analysis = await settledAnalysis(api.db, analysisId);
    expect(analysis).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
    expect(outcomes(analysis.attemptLog)).toEqual(["AI_TIMEOUT", "ANSWERED"]);
    // The 1 s timeout, then the backoff.
    expect(gapBetweenCalls(title)).toBeGreaterThanOrEqual(1_500);
    expect(gapBetweenCalls(title)).toBeLessThan(4_500);
  });

  it("a refusal is asked again", async ({ expect }) => {
    const title = "거절";
    model.script(title, { refusal: "이 요청은 도와드릴 수 없어요" }, validAnswer("CHALLENGE"));
    const { analysisId } = await submitGem(api, { email: "refusal@x.dev", title });
    const analysis = await settledAnalysis(api.db, analysisId);
    expect(analysis).toMatchObject({ status: "SUCCEEDED", keyword: "CHALLENGE", attempts: 2 });
    expect(outcomes(analysis.attemptLog)).toEqual(["AI_REFUSED", "ANSWERED"]);
  });

  it("a request the API rejects (400) fails at once", async ({ expect }) => {
    const title = "잘못된 요청";
    model.script(title, { status: 400, body: { error: { message: "bad request", type: "invalid_request_error" } } });
    const { analysisId } = await submitGem(api, { email: "rejected@x.dev", title });
    const analysis = await settledAnalysis(api.db, analysisId);
    expect(analysis).toMatchObject({ status: "FAILED", failureReason: "AI_REQUEST_REJECTED_400", attempts: 1 });
    expect(model.chatsAbout(title)).toHaveLength(1);
    expect(await deadLettersFor(api.db, analysisId)).toHaveLength(1);
  });

  it("fails for good once every attempt failed: dead letter and a failure notification; a retry can then succeed", async ({ expect }) => {
    const title = "끝내 실패";
    model.script(
      title,
      { toolCall: "not json" },
      { toolCall: { keyword: "LEADERSHIP", sentences: sentences(250) } },
      { refusal: "도와드릴 수 없어요" },
      validAnswer("COMMUNICATION"),
    );
    const { client, userId, episodeId, analysisId } = await submitGem(api, { email: "permanent@x.dev", title });
    const failed = await settledAnalysis(api.db, analysisId);
    expect(failed).toMatchObject({ status: "FAILED", failureReason: "AI_REFUSED", attempts: 3, keyword: null, sentences: [] });
    expect(outcomes(failed.attemptLog)).toEqual(["AI_MALFORMED_JSON", "AI_ANSWER_OFF_SCHEMA", "AI_REFUSED"]);
    expect(model.chatsAbout(title)).toHaveLength(3);
    const [deadLetter, ...moreDeadLetters] = await deadLettersFor(api.db, analysisId);
    expect(moreDeadLetters).toEqual([]);
    expect(deadLetter?.data).toEqual({ job: "analysis.run", payload: { analysisId }, reason: "AI_REFUSED" });
    const [notice] = await inboxOf(api.db, userId);
    expect(notice).toMatchObject({
      type: "ANALYSIS_FAILED",
      category: "AI_RESULT",
      title: "보석 가공에 실패했어요",
      data: { episodeId, analysisId },
    });
    expect(await notificationJobsFor(api.db, analysisId)).toHaveLength(1);
    expect((await api.db.episode.findUniqueOrThrow({ where: { id: episodeId } })).keyword).toBe("UNSET");
    await expect(client.gems.analysis.query({ episodeId })).resolves.toMatchObject({ status: "FAILED", failureReason: "AI_REFUSED" });

    const retried = await client.gems.retryAnalysis.mutate({ episodeId });
    expect(retried).toMatchObject({ status: "PENDING", attempts: 0 });
    expect(retried.id).not.toBe(analysisId);
    const analysis = await settledAnalysis(api.db, retried.id);
    expect(analysis).toMatchObject({ status: "SUCCEEDED", keyword: "COMMUNICATION", attempts: 1 });
    expect((await api.db.episode.findUniqueOrThrow({ where: { id: episodeId } })).keyword).toBe("COMMUNICATION");
    const inbox = await inboxOf(api.db, userId, 2);
    expect(inbox.map((notification) => notification.title)).toEqual(["보석 가공에 실패했어요", "보석 가공이 완료되었어요"]);
  });
});
