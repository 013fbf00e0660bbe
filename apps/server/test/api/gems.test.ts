import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { errorCode, fieldIssues } from "@daycarat/client";
import { activityTagSearchColumns, type DatabaseClient } from "@daycarat/db";
import { analyzeGemJob } from "@daycarat/jobs";
import { findJobs, refuseNewJobs } from "@daycarat/jobs/testing";
import { startTestApi, type TestApi } from "../test-server.ts";

const api = await startTestApi();
/** Two analyses a day per user. */
const quotaApi = await startTestApi({ AI_DAILY_QUOTA: "2" });
/** Its database's job table refuses every new job (see below). */
const brokenQueueApi = await startTestApi();

/** The error a call fails with (or its value, should it wrongly succeed). */
function failure(call: Promise<unknown>): Promise<unknown> {
  return call.catch((error: unknown) => error);
}

const answers = {
  situation: "동아리 앱 출시 2주 전, 서버가 하루에도 몇 번씩 멈췄다",
  objective: "출시 전까지 장애 없이 운영할 수 있게 만들기",
  action: "로그를 분석해 커넥션 누수를 찾아 고치고 부하 테스트를 돌렸다",
  result: "출시 후 한 달 동안 장애가 한 번도 없었다",
  aftermath: "기능보다 모니터링을 먼저 갖추는 습관이 생겼다",
};

/** A draft episode of the user's, stored directly (episodes.create belongs to another router). */
async function createEpisode(db: DatabaseClient, userId: string): Promise<string> {
  const name = "큐시즘 29기";
  const tag = await db.activityTag.upsert({
    where: { userId_name: { userId, name } },
    create: { userId, name, ...activityTagSearchColumns(name) },
    update: {},
  });
  const episode = await db.episode.create({
    data: { userId, activityTagId: tag.id, title: "동아리 서버 안정화", date: new Date("2025-03-05") },
  });
  return episode.id;
}

/** A signed-in user with one draft episode. */
async function userWithEpisode(server: TestApi, email: string) {
  const user = await server.signIn(email);
  return { ...user, episodeId: await createEpisode(server.db, user.userId) };
}

/** The analysis jobs the queue holds for one analysis. */
function analysisJobs(db: DatabaseClient, analysisId: string) {
  return findJobs(db, analyzeGemJob, { data: { analysisId } });
}

function storedEpisode(db: DatabaseClient, episodeId: string) {
  return db.episode.findUniqueOrThrow({
    where: { id: episodeId },
    select: { state: true, keyword: true, keywordChosenByUser: true, gem: { include: { analyses: true } } },
  });
}

describe("gems.get and gems.saveDraft", () => {
  it("answers null before the first draft, and NOT_FOUND for an episode that does not exist", async () => {
    const { client, episodeId } = await userWithEpisode(api, "get@x.dev");

    expect(await client.gems.get.query({ episodeId })).toBeNull();
    expect(errorCode(await failure(client.gems.get.query({ episodeId: randomUUID() })))).toBe("NOT_FOUND");
  });

  it("saves partial answers, moving the version on with every change and only then", async () => {
    const { client, episodeId } = await userWithEpisode(api, "draft@x.dev");

    const first = await client.gems.saveDraft.mutate({ episodeId, situation: `  ${answers.situation}  ` });
    expect(first).toMatchObject({ episodeId, situation: answers.situation, objective: null, version: 1, submittedAt: null });

    const second = await client.gems.saveDraft.mutate({ episodeId, objective: answers.objective, action: answers.action });
    expect(second).toMatchObject({ situation: answers.situation, objective: answers.objective, action: answers.action, version: 2 });

    const unchanged = await client.gems.saveDraft.mutate({ episodeId, objective: answers.objective });
    expect(unchanged.version).toBe(2);

    const cleared = await client.gems.saveDraft.mutate({ episodeId, action: null });
    expect(cleared).toMatchObject({ situation: answers.situation, objective: answers.objective, action: null, version: 3 });

    expect(await client.gems.get.query({ episodeId })).toEqual(cleared);
    expect((await storedEpisode(api.db, episodeId)).state).toBe("DRAFT");
  });

  it("refuses a save with no answer, a blank answer or one over 5,000 characters", async () => {
    const { client, episodeId } = await userWithEpisode(api, "draft-invalid@x.dev");

    expect(errorCode(await failure(client.gems.saveDraft.mutate({ episodeId })))).toBe("BAD_REQUEST");
    const blank = await failure(client.gems.saveDraft.mutate({ episodeId, result: "   " }));
    expect(fieldIssues(blank)).toEqual([{ path: "result", message: "must not be blank" }]);
    const long = await failure(client.gems.saveDraft.mutate({ episodeId, result: "가".repeat(5_001) }));
    expect(fieldIssues(long)).toEqual([{ path: "result", message: "must be at most 5000 characters" }]);
    expect(await client.gems.get.query({ episodeId })).toBeNull();

    // Characters are counted as people count them: 5,000 emoji fit.
    await expect(client.gems.saveDraft.mutate({ episodeId, result: "😀".repeat(5_000) })).resolves.toMatchObject({ version: 1 });
  });
});

describe("gems.submit", () => {
  it("finalizes the episode and starts a PENDING analysis whose job is queued", async () => {
    const { client, episodeId } = await userWithEpisode(api, "submit@x.dev");
    const draft = await client.gems.saveDraft.mutate({ episodeId, ...answers });

    const analysis = await client.gems.submit.mutate({ episodeId });

    expect(analysis).toMatchObject({ status: "PENDING", gemVersion: draft.version, keyword: null, sentences: [], attempts: 0 });
    expect(await analysisJobs(api.db, analysis.id)).toHaveLength(1);
    const stored = await storedEpisode(api.db, episodeId);
    expect(stored.state).toBe("FINALIZED");
    expect(stored.gem?.submittedAt).toBeInstanceOf(Date);
    expect(stored.gem?.analyses.map(({ id }) => id)).toEqual([analysis.id]);
    expect(await client.gems.analysis.query({ episodeId })).toEqual(analysis);
  });

  it("answers BAD_REQUEST naming the unanswered questions, and changes nothing", async () => {
    const { client, episodeId } = await userWithEpisode(api, "submit-missing@x.dev");

    const noGem = await failure(client.gems.submit.mutate({ episodeId }));
    expect(errorCode(noGem)).toBe("BAD_REQUEST");
    expect(noGem).toMatchObject({ message: "Answer every question first; missing: situation, objective, action, result, aftermath" });

    await client.gems.saveDraft.mutate({ episodeId, situation: answers.situation, objective: answers.objective, action: answers.action });
    const partial = await failure(client.gems.submit.mutate({ episodeId }));
    expect(errorCode(partial)).toBe("BAD_REQUEST");
    expect(partial).toMatchObject({ message: "Answer every question first; missing: result, aftermath" });

    const stored = await storedEpisode(api.db, episodeId);
    expect(stored.state).toBe("DRAFT");
    expect(stored.gem).toMatchObject({ submittedAt: null, analyses: [] });
  });

  it("answers CONFLICT while the current version is being analysed, not once it changed", async () => {
    const { client, episodeId } = await userWithEpisode(api, "submit-twice@x.dev");
    await client.gems.saveDraft.mutate({ episodeId, ...answers });
    const first = await client.gems.submit.mutate({ episodeId });
    const { submittedAt } = await api.db.gem.findUniqueOrThrow({ where: { episodeId } });

    expect(errorCode(await failure(client.gems.submit.mutate({ episodeId })))).toBe("CONFLICT");
    await api.db.analysis.update({ where: { id: first.id }, data: { status: "RUNNING" } });
    expect(errorCode(await failure(client.gems.submit.mutate({ episodeId })))).toBe("CONFLICT");
    expect(await api.db.analysis.count({ where: { gem: { episodeId } } })).toBe(1);

    // An edit makes the running analysis stale: the new version may be submitted.
    const edited = await client.gems.saveDraft.mutate({ episodeId, result: "출시 후 석 달 동안 장애가 없었다" });
    const second = await client.gems.submit.mutate({ episodeId });

    expect(second).toMatchObject({ status: "PENDING", gemVersion: edited.version });
    expect(edited.version).toBe(first.gemVersion + 1);
    // The gem was collected when it was first submitted.
    expect((await api.db.gem.findUniqueOrThrow({ where: { episodeId } })).submittedAt).toEqual(submittedAt);
  });
  it("starts one analysis when the same gem is submitted twice at once", async () => {
    const { client, episodeId } = await userWithEpisode(api, "submit-double-tap@x.dev");
    await client.gems.saveDraft.mutate({ episodeId, ...answers });

    const outcomes = await Promise.allSettled([client.gems.submit.mutate({ episodeId }), client.gems.submit.mutate({ episodeId })]);

    expect(outcomes.map(({ status }) => status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = outcomes.find((outcome) => outcome.status === "rejected");
    expect(errorCode(rejected?.reason)).toBe("CONFLICT");
    expect(await api.db.analysis.count({ where: { gem: { episodeId } } })).toBe(1);
  });
});

/** The instant today began in Seoul (UTC+9 all year round). */
function seoulMidnight(): Date {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Seoul" }).format(new Date());
  return new Date(`${today}T00:00:00+09:00`);
}

describe("the daily analysis quota", () => {
  it("counts analyses started since midnight in the user's time zone, for submit and retry alike", async () => {
    const { client, userId, episodeId } = await userWithEpisode(quotaApi, "quota@x.dev");
    const { id: gemId } = await quotaApi.db.gem.create({ data: { episodeId, userId, ...answers } });
    // A minute either side of midnight in Seoul: a day counted in UTC gets one of them wrong at any hour.
    const midnight = seoulMidnight().getTime();
    const minute = 60_000;
    await quotaApi.db.analysis.createMany({
      data: [
        { gemId, userId, gemVersion: 1, status: "SUCCEEDED", createdAt: new Date(midnight - minute) },
        { gemId, userId, gemVersion: 1, status: "SUCCEEDED", createdAt: new Date(midnight + minute) },
      ],
    });

    // Yesterday's analysis does not count: one started today, one left.
    const submitted = await client.gems.submit.mutate({ episodeId });
    await quotaApi.db.analysis.update({ where: { id: submitted.id }, data: { status: "FAILED" } });
    const error = await failure(client.gems.retryAnalysis.mutate({ episodeId }));

    expect(errorCode(error)).toBe("TOO_MANY_REQUESTS");
    expect(await quotaApi.db.analysis.count({ where: { gemId } })).toBe(3);
  });

  it("still counts analyses whose gem was deleted since", async () => {
    const { client, episodeId } = await userWithEpisode(quotaApi, "quota-delete@x.dev");
    for (let round = 0; round < 2; round++) {
      await client.gems.saveDraft.mutate({ episodeId, ...answers });
      await client.gems.submit.mutate({ episodeId });
      await client.gems.delete.mutate({ episodeId });
    }
    await client.gems.saveDraft.mutate({ episodeId, ...answers });

    expect(errorCode(await failure(client.gems.submit.mutate({ episodeId })))).toBe("TOO_MANY_REQUESTS");
  });
});

describe("starting an analysis when the job cannot be queued", () => {
  beforeAll(async () => {
    await refuseNewJobs(brokenQueueApi.db, "the job queue is unavailable");
  });

  it("commits nothing: no analysis, no submission, the episode still a draft", async () => {
    const { client, episodeId } = await userWithEpisode(brokenQueueApi, "broken-queue@x.dev");
    await client.gems.saveDraft.mutate({ episodeId, ...answers });

    const error = await failure(client.gems.submit.mutate({ episodeId }));

    expect(errorCode(error)).toBe("INTERNAL_SERVER_ERROR");
    expect(brokenQueueApi.logs.text()).toContain("the job queue is unavailable");
    const stored = await storedEpisode(brokenQueueApi.db, episodeId);
    expect(stored.state).toBe("DRAFT");
    expect(stored.gem).toMatchObject({ submittedAt: null, analyses: [] });
    expect(await findJobs(brokenQueueApi.db, analyzeGemJob, {})).toEqual([]);
  });

  it("leaves a failed analysis to be retried later", async () => {
    const { client, userId, episodeId } = await userWithEpisode(brokenQueueApi, "broken-queue-retry@x.dev");
    const { id: gemId } = await brokenQueueApi.db.gem.create({ data: { episodeId, userId, ...answers, submittedAt: new Date() } });
    await brokenQueueApi.db.analysis.create({ data: { gemId, userId, gemVersion: 1, status: "FAILED" } });

    expect(errorCode(await failure(client.gems.retryAnalysis.mutate({ episodeId })))).toBe("INTERNAL_SERVER_ERROR");
    expect(await client.gems.analysis.query({ episodeId })).toMatchObject({ status: "FAILED" });
    expect(await brokenQueueApi.db.analysis.count({ where: { gemId } })).toBe(1);
  });
});

describe("gems.retryAnalysis", () => {
  it("starts a new analysis only after the newest one FAILED", async () => {
    const { client, episodeId } = await userWithEpisode(api, "retry@x.dev");
    await client.gems.saveDraft.mutate({ episodeId, ...answers });
    expect(errorCode(await failure(client.gems.retryAnalysis.mutate({ episodeId })))).toBe("CONFLICT");

    const first = await client.gems.submit.mutate({ episodeId });
    expect(errorCode(await failure(client.gems.retryAnalysis.mutate({ episodeId })))).toBe("CONFLICT");
    await api.db.analysis.update({ where: { id: first.id }, data: { status: "SUCCEEDED" } });
    expect(errorCode(await failure(client.gems.retryAnalysis.mutate({ episodeId })))).toBe("CONFLICT");
    await api.db.analysis.update({ where: { id: first.id }, data: { status: "FAILED", failureReason: "AI 응답 시간 초과" } });

    const retried = await client.gems.retryAnalysis.mutate({ episodeId });

    expect(retried).toMatchObject({ status: "PENDING", gemVersion: first.gemVersion });
    expect(retried.id).not.toBe(first.id);
    expect(await analysisJobs(api.db, retried.id)).toHaveLength(1);
    expect(await client.gems.analysis.query({ episodeId })).toEqual(retried);
    expect(errorCode(await failure(client.gems.retryAnalysis.mutate({ episodeId })))).toBe("CONFLICT");
  });
});

describe("gems.delete", () => {
  it("deletes the gem, detaches its analyses and puts the episode back to a draft without keyword", async () => {
    const { client, userId, episodeId } = await userWithEpisode(api, "delete@x.dev");
    await client.gems.saveDraft.mutate({ episodeId, ...answers });
    await client.gems.submit.mutate({ episodeId });
    await api.db.episode.update({ where: { id: episodeId }, data: { keyword: "EXPERTISE", keywordChosenByUser: true } });

    expect(await client.gems.delete.mutate({ episodeId })).toEqual({ deleted: true });

    expect(await storedEpisode(api.db, episodeId)).toEqual({ state: "DRAFT", keyword: "UNSET", keywordChosenByUser: false, gem: null });
    // The analysis stays, detached, only to count against the daily quota.
    expect(await api.db.analysis.findMany({ where: { userId }, select: { gemId: true } })).toEqual([{ gemId: null }]);
    expect(await client.gems.get.query({ episodeId })).toBeNull();
    expect(await client.gems.analysis.query({ episodeId })).toBeNull();
    expect(errorCode(await failure(client.gems.delete.mutate({ episodeId })))).toBe("NOT_FOUND");
  });
});

describe("gems.clipboard", () => {
  const questionsAndAnswers = [
    "어떤 상황이었나요? (상황)",
    answers.situation,
    "",
    "어떤 목표를 세웠나요? (목표)",
    answers.objective,
    "",
    "목표를 위해 어떤 행동을 했나요? (행동)",
    answers.action,
    "",
    "어떤 결과를 얻었나요? (결과)",
    answers.result,
    "",
    "그 경험이 어떤 영향을 남겼나요? (영향)",
    answers.aftermath,
  ].join("\n");

  it("gives the questions with their answers, then the newest successful analysis's sentences", async () => {
    const { client, userId, episodeId } = await userWithEpisode(api, "clipboard@x.dev");
    expect(errorCode(await failure(client.gems.clipboard.query({ episodeId })))).toBe("NOT_FOUND");
    await client.gems.saveDraft.mutate({ episodeId, ...answers });
    expect(await client.gems.clipboard.query({ episodeId })).toEqual({ text: questionsAndAnswers });

    const first = await client.gems.submit.mutate({ episodeId });
    const sentences = [
      "출시 직전 반복되던 서버 장애의 원인을 로그 분석으로 찾아 해결했습니다.",
      "부하 테스트로 개선을 검증해 출시 후 한 달간 무장애 운영을 이뤘습니다.",
      "이 경험으로 모니터링을 먼저 갖추는 개발 습관을 길렀습니다.",
    ];
    await api.db.analysis.update({ where: { id: first.id }, data: { status: "SUCCEEDED", keyword: "PROBLEM_SOLVING", sentences } });
    // A newer run that failed does not take the good sentences away.
    const { id: gemId } = await api.db.gem.findUniqueOrThrow({ where: { episodeId } });
    await api.db.analysis.create({ data: { gemId, userId, gemVersion: first.gemVersion, status: "FAILED" } });

    expect(await client.gems.clipboard.query({ episodeId })).toEqual({
      text: `${questionsAndAnswers}\n\n자기소개서 추천 문장\n${sentences.join("\n")}`,
    });
  });

  it("leaves unanswered questions with an empty line", async () => {
    const { client, episodeId } = await userWithEpisode(api, "clipboard-partial@x.dev");
    await client.gems.saveDraft.mutate({ episodeId, situation: answers.situation });

    const { text } = await client.gems.clipboard.query({ episodeId });

    expect(text.split("\n")).toEqual([
      "어떤 상황이었나요? (상황)",
      answers.situation,
      "",
      "어떤 목표를 세웠나요? (목표)",
      "",
      "",
      "목표를 위해 어떤 행동을 했나요? (행동)",
      "",
      "",
      "어떤 결과를 얻었나요? (결과)",
      "",
      "",
      "그 경험이 어떤 영향을 남겼나요? (영향)",
      "",
    ]);
  });
});

describe("another user's episode", () => {
  it("is NOT_FOUND for every gems procedure, and nothing of it changes", async () => {
    const alice = await userWithEpisode(api, "owner@x.dev");
    const { episodeId } = alice;
    await alice.client.gems.saveDraft.mutate({ episodeId, ...answers });
    const submitted = await alice.client.gems.submit.mutate({ episodeId });
    await api.db.analysis.update({ where: { id: submitted.id }, data: { status: "FAILED" } });
    const before = await storedEpisode(api.db, episodeId);
    const bob = await api.signIn("intruder@x.dev");

    const calls = [
      () => bob.client.gems.get.query({ episodeId }),
      () => bob.client.gems.saveDraft.mutate({ episodeId, situation: "남의 글을 덮어쓴다" }),
      () => bob.client.gems.submit.mutate({ episodeId }),
      () => bob.client.gems.delete.mutate({ episodeId }),
      () => bob.client.gems.analysis.query({ episodeId }),
      () => bob.client.gems.retryAnalysis.mutate({ episodeId }),
      () => bob.client.gems.clipboard.query({ episodeId }),
    ];
    for (const call of calls) expect(errorCode(await failure(call()))).toBe("NOT_FOUND");

    expect(await storedEpisode(api.db, episodeId)).toEqual(before);
    expect(await api.db.gem.count({ where: { userId: bob.userId } })).toBe(0);
  });
});
