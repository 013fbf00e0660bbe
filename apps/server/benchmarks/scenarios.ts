// What the benchmark asks of the API. Each scenario is one tRPC query procedure and the
// input of its n-th request; the load test sends it over HTTP, the EXPLAIN step calls the
// same procedure in-process with the first input, so both measure the same SQL.

export interface Scenario {
  name: string;
  /** The tRPC path, e.g. "episodes.list". */
  procedure: string;
  /** The input of the n-th request (n counts from 0); undefined for a procedure without input. */
  input(requestNumber: number): unknown;
  /** The indexes a good plan uses; the report says whether the plan did. */
  expectedIndexes: string[];
  /** Held to the target: p99 under 25 ms at 200 req/s (list and stats). */
  hasLatencyTarget: boolean;
}

export const P99_TARGET_MS = 25;

/** The years the seed dates episodes in. */
const YEARS = [2025, 2026];

/** Words that appear in titles and contents (korean-vocabulary.ts), from common to rarer. */
const TEXT_QUERIES = ["인터뷰", "리팩토링", "발표 자료", "회고", "일정 관리"];

/** Initial consonants (초성) of seeded activity names: 큐시즘, 해커톤, 알고리즘, 졸업 프로젝트. */
const INITIALS_QUERIES = ["ㅋㅅㅈ", "ㅎㅋㅌ", "ㅇㄱㄹㅈ", "ㅈㅇㅍㄹ"];

function pick<T>(items: readonly T[], requestNumber: number): T {
  const item = items[requestNumber % items.length];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

const EPISODES_BY_DATE = "episodes_userId_date_id_idx";

export const SCENARIOS: Scenario[] = [
  {
    name: "episodes.list — first page",
    procedure: "episodes.list",
    input: () => ({ limit: 20 }),
    expectedIndexes: [EPISODES_BY_DATE],
    hasLatencyTarget: true,
  },
  {
    name: "episodes.list — year + month",
    procedure: "episodes.list",
    // Every month of both years, so no single month's pages stay hot in the cache.
    input: (n) => ({ year: pick(YEARS, Math.floor(n / 12)), month: (n % 12) + 1, limit: 20 }),
    expectedIndexes: [EPISODES_BY_DATE],
    hasLatencyTarget: true,
  },
  {
    name: "stats.counts",
    procedure: "stats.counts",
    input: () => undefined,
    expectedIndexes: [EPISODES_BY_DATE, "gems_userId_submittedAt_idx"],
    hasLatencyTarget: true,
  },
  {
    name: "stats.byMonth",
    procedure: "stats.byMonth",
    input: (n) => ({ year: pick(YEARS, n) }),
    expectedIndexes: [EPISODES_BY_DATE],
    hasLatencyTarget: true,
  },
  {
    name: "search — episodes.list query",
    procedure: "episodes.list",
    input: (n) => ({ query: pick(TEXT_QUERIES, n), limit: 20 }),
    expectedIndexes: [EPISODES_BY_DATE],
    hasLatencyTarget: false,
  },
  {
    name: "search — activityTags.search 초성",
    procedure: "activityTags.search",
    input: (n) => ({ query: pick(INITIALS_QUERIES, n) }),
    expectedIndexes: ["activity_tags_userId_name_key"],
    hasLatencyTarget: false,
  },
];

/** Not in bench:api's list (the seed makes no notifications); bench:ceiling measures the API's overhead on it. */
export const UNREAD_COUNT: Scenario = {
  name: "notifications.unreadCount",
  procedure: "notifications.unreadCount",
  input: () => undefined,
  expectedIndexes: ["notifications_userId_readAt_idx"],
  hasLatencyTarget: true,
};

/** The URL path of a tRPC GET: plain JSON input (no transformer), no batching. */
export function trpcPath(procedure: string, input: unknown): string {
  return input === undefined ? `/trpc/${procedure}` : `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;
}
