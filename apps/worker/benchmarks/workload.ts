import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createDayCaratClient, errorCode, memoryTokenStore, type DayCaratClient } from "@daycarat/client";
import { activityTagSearchColumns, type DatabaseClient } from "@daycarat/db";

const ACTIVITY = "벤치마크 동아리 12기";
const POLL_INTERVAL_MS = 100;

/** One signed-in user and the episodes (each with a complete gem) they will submit. */
export interface BenchmarkUser {
  id: string;
  client: DayCaratClient;
  episodeIds: string[];
}

export interface Submission {
  analysisId: string;
  /** When the request was sent (ms since the epoch, like the worker's `finishedAt`). */
  submittedAt: number;
}

export interface Settled {
  status: "SUCCEEDED" | "FAILED";
  finishedAt: number;
  failureReason: string | null;
}

/** Runs `task` over `items` with at most `limit` at once, keeping the results in order. */
export async function mapWithConcurrency<Item, Result>(
  items: readonly Item[],
  limit: number,
  task: (item: Item) => Promise<Result>,
): Promise<Result[]> {
  const results: Result[] = new Array<Result>(items.length);
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await task(items[index] as Item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** Signs `count` new users in through auth.dev, each with a client of their own that keeps the session. */
export function signInUsers(serverUrl: string, emailPrefix: string, count: number, connections: number) {
  const indexes = Array.from({ length: count }, (_, index) => index);
  return mapWithConcurrency(indexes, connections, async (index) => {
    const client = createDayCaratClient({ url: serverUrl, tokens: memoryTokenStore() });
    const { user } = await client.auth.dev.mutate({ email: `${emailPrefix}-${index}@bench.daycarat.dev`, nickname: `벤치${index}` });
    return { id: user.id, client };
  });
}

const GEM_ANSWERS = {
  situation: "동아리 정기 모임의 참석률이 한 학기 만에 절반 아래로 떨어져 운영이 어려워졌습니다.",
  objective: "학기 말까지 참석률을 팔십 퍼센트 이상으로 회복하는 것을 목표로 삼았습니다.",
  action: "회원 설문으로 원인을 찾고, 주제별 소모임과 온라인 참여 방식을 제안해 먼저 작게 시험했습니다.",
  result: "한 학기 만에 참석률이 사십 퍼센트에서 팔십 퍼센트로 올랐습니다.",
  aftermath: "이후 운영진 회의에서 데이터를 근거로 결정하는 문화가 자리 잡았습니다.",
};

/**
 * Gives each user `gemsPerUser` draft episodes with a complete, unsubmitted gem, in a few
 * createMany statements: going through the API would make seeding the slow part of a run.
 */
export async function seedGems(
  db: DatabaseClient,
  users: { id: string; client: DayCaratClient }[],
  gemsPerUser: number,
): Promise<BenchmarkUser[]> {
  const tags = users.map((user) => ({ id: randomUUID(), userId: user.id, name: ACTIVITY, ...activityTagSearchColumns(ACTIVITY) }));
  const seeded = users.map((user, index) => ({
    ...user,
    tagId: tags[index]?.id ?? "",
    episodeIds: Array.from({ length: gemsPerUser }, () => randomUUID()),
  }));
  const episodes = seeded.flatMap((user) =>
    user.episodeIds.map((id, index) => ({
      id,
      userId: user.id,
      activityTagId: user.tagId,
      title: `정기 모임 참석률 회복 ${index + 1}`,
      date: new Date("2026-03-14"),
    })),
  );
  await db.activityTag.createMany({ data: tags });
  await db.episode.createMany({ data: episodes });
  await db.episodeContent.createMany({
    data: episodes.map((episode) => ({
      episodeId: episode.id,
      position: 0,
      type: "LESSONS_LEARNED" as const,
      content: "작게 시험하고 데이터로 설득하면 반대하던 사람도 함께 움직인다는 것을 배웠다.",
    })),
  });
  await db.gem.createMany({ data: episodes.map((episode) => ({ episodeId: episode.id, userId: episode.userId, ...GEM_ANSWERS })) });
  return seeded.map(({ id, client, episodeIds }) => ({ id, client, episodeIds }));
}

/** Every (user, episode) pair, round by round: each user's first gem, then each user's second… */
function submissionOrder(users: BenchmarkUser[]): { user: BenchmarkUser; episodeId: string }[] {
  const rounds = Math.max(0, ...users.map((user) => user.episodeIds.length));
  return Array.from({ length: rounds }, (_, round) =>
    users.flatMap((user) => {
      const episodeId = user.episodeIds[round];
      return episodeId ? [{ user, episodeId }] : [];
    }),
  ).flat();
}

export interface SubmitOutcome {
  submissions: Submission[];
  /** Submissions the API refused or that never got an answer, with the reason. */
  errors: string[];
  /** From the first request sent to the last answer received. */
  durationMs: number;
}

/** Submits every seeded gem through gems.submit over HTTP, `connections` requests at a time. */
export async function submitAll(users: BenchmarkUser[], connections: number): Promise<SubmitOutcome> {
  const submissions: Submission[] = [];
  const errors: string[] = [];
  const started = Date.now();
  await mapWithConcurrency(submissionOrder(users), connections, async ({ user, episodeId }) => {
    const submittedAt = Date.now();
    try {
      const analysis = await user.client.gems.submit.mutate({ episodeId });
      submissions.push({ analysisId: analysis.id, submittedAt });
    } catch (error) {
      errors.push(`gems.submit ${episodeId}: ${errorCode(error) ?? String(error)}`);
    }
  });
  return { submissions, errors, durationMs: Date.now() - started };
}

/**
 * Polls the analyses until every submitted one is SUCCEEDED or FAILED, the time is up or
 * `keepWaiting` says there is no point (the worker died); returns those settled (the caller
 * counts the missing ones as failures).
 */
export async function waitUntilSettled(
  db: DatabaseClient,
  analysisIds: string[],
  options: { deadline: number; keepWaiting: () => boolean },
): Promise<Map<string, Settled>> {
  const settled = new Map<string, Settled>();
  while (settled.size < analysisIds.length && Date.now() < options.deadline && options.keepWaiting()) {
    const pending = analysisIds.filter((id) => !settled.has(id));
    const rows = await db.analysis.findMany({
      where: { id: { in: pending }, status: { in: ["SUCCEEDED", "FAILED"] } },
      select: { id: true, status: true, finishedAt: true, failureReason: true },
    });
    for (const row of rows) {
      const status = row.status === "SUCCEEDED" ? "SUCCEEDED" : "FAILED";
      settled.set(row.id, { status, finishedAt: row.finishedAt?.getTime() ?? Date.now(), failureReason: row.failureReason });
    }
    if (settled.size < analysisIds.length) await sleep(POLL_INTERVAL_MS);
  }
  return settled;
}
