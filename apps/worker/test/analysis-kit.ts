import { activityTagSearchColumns, type DatabaseClient } from "@daycarat/db";
import { analyzeGemJob, notifyUserJob } from "@daycarat/jobs";
import { findDeadLetters, findJobs, type StoredJob } from "@daycarat/jobs/testing";
import type { TestApi } from "@daycarat/server/testing";
import { startFakeOpenAI, waitFor, type ChatRequest, type FakeOpenAI, type ModelReply } from "@daycarat/testkit";

// What the analysis tests share: a fake model scripted per test, gems ready to submit, and
// reads of the rows and jobs an analysis leaves behind. Every test file starts its own.

type Keyword = "COMMUNICATION" | "PROBLEM_SOLVING" | "CREATIVITY" | "CHALLENGE" | "EXPERTISE" | "EXECUTION";

/** A cover-letter paragraph of `length` characters (the contract asks for 200–500). */
export const sentence = (n: number, length = 250): string => `${n}번째 추천 문장: `.padEnd(length, "가");

/** A valid answer: a function call with the keyword and three sentences. */
export const validAnswer = (keyword: Keyword = "EXECUTION", options: { delayMs?: number } = {}): ModelReply => ({
  toolCall: { keyword, sentences: [1, 2, 3].map((n) => sentence(n)) },
  ...options,
});

/** An answer with plain text content and no function call, as a chat completion. */
export const plainTextAnswer = (model: string, content: string): ModelReply => ({
  status: 200,
  body: {
    id: "chatcmpl-plain",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, finish_reason: "stop", logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  },
});

export interface Arrival {
  title: string;
  at: number;
  /** When the fake server answers (a delayed answer's end), or `at` for an immediate one. */
  until: number;
}

export interface ScriptedModel extends FakeOpenAI {
  /** The replies to the requests about the episode titled `title`, in order; a valid answer once they run out. */
  script(title: string, ...replies: ModelReply[]): void;
  /** The requests received about the episode titled `title`. */
  chatsAbout(title: string): ChatRequest[];
  /** Resolves once `count` requests about the episode titled `title` arrived. */
  waitForCalls(title: string, count: number, timeoutMs?: number): Promise<void>;
  /** When each request arrived and was answered, in order of arrival. */
  arrivals: Arrival[];
}

/** The episode title in the prompt, which tells the fake model which test a request belongs to. */
export function titleOf(chat: ChatRequest): string {
  const user = chat.messages.find((message) => message.role === "user")?.content ?? "";
  return /^경험 제목: (.*)$/m.exec(user)?.[1] ?? "";
}

/** The fake OpenAI server, its answers scripted per episode title so that tests cannot mix up each other's requests. */
export async function startScriptedModel(): Promise<ScriptedModel> {
  const scripts = new Map<string, ModelReply[]>();
  const arrivals: Arrival[] = [];
  const server = await startFakeOpenAI((chat) => {
    const title = titleOf(chat);
    const reply = scripts.get(title)?.shift() ?? validAnswer();
    const at = Date.now();
    arrivals.push({ title, at, until: "toolCall" in reply ? at + (reply.delayMs ?? 0) : at });
    return reply;
  });
  const chatsAbout = (title: string) => server.chats.filter((chat) => titleOf(chat) === title);
  return {
    ...server,
    arrivals,
    script: (title, ...replies) => {
      scripts.set(title, replies);
    },
    chatsAbout,
    waitForCalls: async (title, count, timeoutMs = 15_000) => {
      await waitFor(
        () => Promise.resolve(chatsAbout(title).length >= count ? true : undefined),
        timeoutMs,
        `${count} model call(s) about ${title}`,
      );
    },
  };
}

/** The most requests the fake model had in flight at one moment. */
export function maxInFlight(arrivals: readonly Arrival[]): number {
  return Math.max(0, ...arrivals.map(({ at }) => arrivals.filter((other) => other.at <= at && at < other.until).length));
}

export interface GemOptions {
  email: string;
  title: string;
  contents?: { type: "LESSONS_LEARNED" | "REGRETS" | "FREE" | "IMPROVEMENTS"; content: string }[];
  jobTitle?: string;
  strengths?: string[];
  activity?: string;
}

export const SOARA = {
  situation: "동아리 앱 출시가 2주 남았는데 로그인 오류가 계속 났다",
  objective: "출시 전에 로그인 오류를 없애기로 했다",
  action: "로그를 모아 원인을 좁히고 팀원과 매일 점검했다",
  result: "출시일에 오류 없이 앱을 내놓았다",
  aftermath: "장애 대응 문서를 만들어 다음 기수에 넘겼다",
};

/** A signed-in user with an episode (made in the database) and a complete gem (saved through the API), ready to submit. */
export async function gemReadyToSubmit(api: Pick<TestApi, "db" | "signIn">, options: GemOptions) {
  const { client, userId } = await api.signIn(options.email);
  if (options.jobTitle !== undefined || options.strengths !== undefined) {
    await client.me.update.mutate({ jobTitle: options.jobTitle ?? null, strengths: options.strengths ?? [] });
  }
  const activity = options.activity ?? `${options.title} 활동`;
  const tag = await api.db.activityTag.create({ data: { userId, name: activity, ...activityTagSearchColumns(activity) } });
  const contents = (options.contents ?? []).map((content, position) => ({ position, ...content }));
  const episode = await api.db.episode.create({
    data: { userId, activityTagId: tag.id, title: options.title, date: new Date(), contents: { create: contents } },
  });
  await client.gems.saveDraft.mutate({ episodeId: episode.id, ...SOARA });
  return { client, userId, episodeId: episode.id };
}

/** Submits the gem and returns the analysis it started. */
export async function submitGem(api: TestApi, options: GemOptions) {
  const gem = await gemReadyToSubmit(api, options);
  const analysis = await gem.client.gems.submit.mutate({ episodeId: gem.episodeId });
  return { ...gem, analysisId: analysis.id };
}

export function findAnalysis(db: DatabaseClient, analysisId: string) {
  return db.analysis.findUniqueOrThrow({ where: { id: analysisId } });
}

/** The analysis once it SUCCEEDED or FAILED. */
export function settledAnalysis(db: DatabaseClient, analysisId: string, timeoutMs = 15_000) {
  return waitFor(
    async () => {
      const analysis = await findAnalysis(db, analysisId);
      return analysis.status === "SUCCEEDED" || analysis.status === "FAILED" ? analysis : undefined;
    },
    timeoutMs,
    `analysis ${analysisId} to settle`,
  );
}

export interface AttemptLogEntry {
  at: string;
  outcome: string;
}

/** The outcomes recorded in the analysis's attempt log, in order. */
export function outcomes(attemptLog: unknown): string[] {
  return (attemptLog as AttemptLogEntry[]).map((entry) => entry.outcome);
}

/** The jobs asking for a notification about this analysis (its id is in the notification's data). */
export function notificationJobsFor(db: DatabaseClient, analysisId: string): Promise<StoredJob[]> {
  return findJobs(db, notifyUserJob, { data: { data: { analysisId } } });
}

/** The jobs of this analysis parked in the dead-letter queue. */
export function deadLettersFor(db: DatabaseClient, analysisId: string): Promise<StoredJob[]> {
  return findDeadLetters(db, analyzeGemJob, { analysisId });
}

/** The analysis.run jobs of this analysis. */
export function analysisJobsFor(db: DatabaseClient, analysisId: string): Promise<StoredJob[]> {
  return findJobs(db, analyzeGemJob, { data: { analysisId } });
}

/** The user's inbox once it holds `count` notifications. */
export function inboxOf(db: DatabaseClient, userId: string, count = 1, timeoutMs = 10_000) {
  return waitFor(
    async () => {
      const rows = await db.notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
      return rows.length >= count ? rows : undefined;
    },
    timeoutMs,
    `${count} notification(s) for ${userId}`,
  );
}
