import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { trpcPath, type Scenario } from "./scenarios.ts";

/** Where the n-th request of a scenario goes: a path with its query string. */
export type RequestPath = (scenario: Scenario, requestNumber: number) => string;

/** Through tRPC, as the web app calls the API. */
export const trpcRequestPath: RequestPath = (scenario, n) => trpcPath(scenario.procedure, scenario.input(n));

export interface BenchmarkUser {
  id: string;
  accessToken: string;
}

/**
 * How the fixed rate is spread over each second. autocannon's rate limiter lets every
 * connection send its share of the second back to back, and all connections start their
 * second together:
 * - "burst": one autocannon run with all connections, as its `overallRate` works: each
 *   second opens with every connection sending at once (a pessimistic arrival pattern);
 * - "staggered": one single-connection run per connection, their seconds started evenly
 *   apart, so the same rate arrives spread over the second (closer to independent users).
 */
export const PACINGS = ["burst", "staggered"] as const;
export type Pacing = (typeof PACINGS)[number];

export interface LoadSettings {
  serverUrl: string;
  users: BenchmarkUser[];
  /** Requests per second, all connections together; absent: as fast as the server answers. */
  rate?: number;
  connections: number;
  durationSeconds: number;
  pacing: Pacing;
  /** The tRPC path unless given. */
  path?: RequestPath;
}

export interface LoadFigures {
  scenario: string;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
}

function userAt(users: BenchmarkUser[], requestNumber: number): BenchmarkUser {
  const user = users[requestNumber % users.length];
  if (!user) throw new Error("the load test needs at least one user");
  return user;
}

/**
 * Builds each request as it is sent: the n-th request goes out as the n-th user (in turn,
 * so the rows and cache pages of many users are read, not one user's) with the n-th input.
 */
function requestBuilder(scenario: Scenario, settings: LoadSettings): autocannon.Request["setupRequest"] {
  const { users, path = trpcRequestPath } = settings;
  let requestNumber = 0;
  return (request) => {
    const n = requestNumber++;
    return {
      ...request,
      method: "GET",
      path: path(scenario, n),
      headers: { ...request.headers, authorization: `Bearer ${userAt(users, n).accessToken}` },
    };
  };
}

/**
 * One request before the load, so that a wrong input or a missing procedure fails at once,
 * with the server's answer, instead of as thousands of non-2xx responses. Resolves to the
 * size of the answer's body in bytes.
 */
export async function checkScenarioAnswers(scenario: Scenario, settings: LoadSettings): Promise<number> {
  const path = settings.path ?? trpcRequestPath;
  const response = await fetch(`${settings.serverUrl}${path(scenario, 0)}`, {
    headers: { authorization: `Bearer ${userAt(settings.users, 0).accessToken}` },
  });
  const body = await response.arrayBuffer();
  if (response.status !== 200) {
    throw new Error(`${scenario.name}: the first request answered ${response.status}: ${new TextDecoder().decode(body)}`);
  }
  return body.byteLength;
}

interface RunOutcome {
  result: autocannon.Result;
  /** Every response's time in ms, as measured (autocannon's histogram is not, see below). */
  latencies: number[];
}

/** One autocannon run, with the time of every response kept. */
function runAutocannon(options: autocannon.Options): Promise<RunOutcome> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      // With a rate, autocannon "corrects for coordinated omission" assuming a request was due
      // every ceil(1 / rate) = 1 ms, so a 40 ms response would count as 40 samples (40, 39 … 2
      // ms). The raw response times are kept instead (autocannon refuses the option without a rate).
      { ...options, ignoreCoordinatedOmission: options.overallRate !== undefined },
      (error: unknown, result) => {
        if (error) reject(error instanceof Error ? error : new Error("autocannon failed", { cause: error }));
        else resolve({ result, latencies });
      },
    );
    instance.on("response", (_client, _statusCode, _bytes, responseTime) => latencies.push(responseTime));
  });
}

/** The connections' shares of the rate: 200 over 20 is 10 each; a remainder goes to the first ones. */
function rateShares(rate: number, connections: number): number[] {
  return Array.from({ length: connections }, (_, i) => Math.floor(rate / connections) + (i < rate % connections ? 1 : 0));
}

function runsFor(scenario: Scenario, settings: LoadSettings, durationSeconds: number): Promise<RunOutcome>[] {
  const base = {
    url: settings.serverUrl,
    duration: durationSeconds,
    requests: [{ setupRequest: requestBuilder(scenario, settings) }],
  };
  if (settings.rate === undefined) return [runAutocannon({ ...base, connections: settings.connections })];
  if (settings.pacing === "burst") {
    return [runAutocannon({ ...base, connections: settings.connections, overallRate: settings.rate })];
  }
  const shares = rateShares(settings.rate, settings.connections).filter((share) => share > 0);
  const gapMs = 1000 / shares.length;
  return shares.map((share, i) => sleep(i * gapMs).then(() => runAutocannon({ ...base, connections: 1, overallRate: share })));
}

/** The value at or below which `share` of the sorted values fall (nearest rank). */
function percentile(sorted: number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))] ?? Number.NaN;
}

function summarize(scenario: Scenario, outcomes: RunOutcome[], durationSeconds: number): LoadFigures {
  const latencies = outcomes.flatMap((outcome) => outcome.latencies).sort((a, b) => a - b);
  const requests = outcomes.reduce((sum, { result }) => sum + result.requests.total, 0);
  return {
    scenario: scenario.name,
    requests,
    requestsPerSecond: requests / durationSeconds,
    p50Ms: percentile(latencies, 0.5),
    p90Ms: percentile(latencies, 0.9),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    non2xx: outcomes.reduce((sum, { result }) => sum + result.non2xx, 0),
    errors: outcomes.reduce((sum, { result }) => sum + result.errors, 0),
  };
}

/** Sends the scenario at the settings' fixed rate, or as fast as it is answered, for the given time. */
export async function runLoad(
  scenario: Scenario,
  settings: LoadSettings,
  durationSeconds = settings.durationSeconds,
): Promise<LoadFigures> {
  const outcomes = await Promise.all(runsFor(scenario, settings, durationSeconds));
  return summarize(scenario, outcomes, durationSeconds);
}
