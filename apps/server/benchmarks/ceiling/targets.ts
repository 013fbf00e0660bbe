// The scenarios bench:ceiling and bench:profile send, how each is addressed on the project's
// server (/trpc and REST) and on the raw one, and how one server is measured on one of them.
import { forEachOpenApiProcedure } from "trpc-to-openapi";
import { appRouter, REST_BASE_PATH, type ApiMeta } from "@daycarat/api";
import {
  checkScenarioAnswers,
  runLoad,
  trpcRequestPath,
  type LoadFigures,
  type LoadSettings,
  type Pacing,
  type RequestPath,
} from "../load.ts";
import { SCENARIOS, UNREAD_COUNT, type Scenario } from "../scenarios.ts";
import { cpuMsByProcess, cpuSpent, type CpuSpent } from "@daycarat/devkit";
import { inputKey } from "./replay.ts";
import type { ApiPath, Latency } from "./summary.ts";

export interface CeilingScenario {
  /** The name in the table and in the JSON line, after the path: "trpc episodes.list first page". */
  name: string;
  scenario: Scenario;
}

function scenarioNamed(name: string): Scenario {
  const scenario = SCENARIOS.find((candidate) => candidate.name === name);
  if (!scenario) throw new Error(`no benchmark scenario is named ${name}`);
  return scenario;
}

/** The scenario the scaling section and bench:profile load. */
export const FIRST_PAGE: CeilingScenario = { name: "episodes.list first page", scenario: scenarioNamed("episodes.list — first page") };

export const CEILING_SCENARIOS: CeilingScenario[] = [
  FIRST_PAGE,
  { name: "episodes.list one month", scenario: scenarioNamed("episodes.list — year + month") },
  { name: "stats.counts", scenario: scenarioNamed("stats.counts") },
  { name: "stats.byMonth", scenario: scenarioNamed("stats.byMonth") },
  { name: "notifications.unreadCount", scenario: UNREAD_COUNT },
];

/** The raw server's route for a scenario. */
export function rawRoute(scenario: CeilingScenario): string {
  return scenario.name.replaceAll(/[^A-Za-z0-9]+/g, "-");
}

/** On the raw server: the same input as tRPC's query parameter, which it finds the statements by. */
export function rawRequestPath(scenario: CeilingScenario): RequestPath {
  return (_, n) => {
    const key = inputKey(scenario.scenario.input(n));
    return key === "" ? `/${rawRoute(scenario)}` : `/${rawRoute(scenario)}?input=${encodeURIComponent(key)}`;
  };
}

/** Each REST GET's path under /api/v1, by procedure, as the OpenAPI document lists it. */
const REST_GET_PATHS = new Map<string, string>();
forEachOpenApiProcedure<ApiMeta>(appRouter._def.procedures, ({ path: procedure, meta: { openapi } }) => {
  if (openapi.method === "GET") REST_GET_PATHS.set(procedure, `${REST_BASE_PATH}${openapi.path}`);
});

/** The REST path the procedure's OpenAPI metadata gives, the input as query parameters. */
export const restRequestPath: RequestPath = (scenario, n) => {
  const restPath = REST_GET_PATHS.get(scenario.procedure);
  if (!restPath) throw new Error(`${scenario.procedure} is not served as a REST GET`);
  const input = scenario.input(n);
  const query = new URLSearchParams(
    Object.entries(input ?? {}).map(([name, value]) => {
      if (typeof value === "object" && value !== null) throw new Error(`${scenario.procedure}: ${name} is not a query parameter`);
      return [name, String(value)];
    }),
  ).toString();
  return `${restPath}${query ? `?${query}` : ""}`;
};

export const PROJECT_PATHS: Record<ApiPath, RequestPath> = { trpc: trpcRequestPath, rest: restRequestPath };

export interface MeasureSettings {
  warmupSeconds: number;
  durationSeconds: number;
  /** Rounds of the maximum run, the targets taking turns (see ceiling.ts). */
  rounds: number;
  /** 0: no fixed-rate run, so no latencies. */
  fixedRateSeconds: number;
}

/** One server on one path, as the rounds measure it. */
export interface Target {
  load: Omit<LoadSettings, "rate">;
  serverPid: number;
}

/** One run as fast as the target answers: its req/s, and its server's CPU per request over the run. */
export interface MaxRun {
  rps: number;
  cpuMsPerRequest: number;
  cpu: CpuSpent;
  failures: number;
}

/** A first request that must answer 200 (its body's size is returned), then unmeasured warm-up. */
export async function prepareTarget(
  scenario: Scenario,
  target: Target,
  settings: MeasureSettings,
): Promise<{ bytes: number; failures: number }> {
  const bytes = await checkScenarioAnswers(scenario, target.load);
  const warmup = settings.warmupSeconds > 0 ? await runLoad(scenario, target.load, settings.warmupSeconds) : undefined;
  return { bytes, failures: (warmup?.non2xx ?? 0) + (warmup?.errors ?? 0) };
}

export async function measureMaxRun(scenario: Scenario, target: Target, settings: MeasureSettings): Promise<MaxRun> {
  const before = cpuMsByProcess(target.serverPid);
  const max = await runLoad(scenario, target.load, settings.durationSeconds);
  const cpu = cpuSpent(before, cpuMsByProcess(target.serverPid));
  return {
    rps: max.requestsPerSecond,
    cpuMsPerRequest: max.requests > 0 ? cpu.totalMs / max.requests : Number.NaN,
    cpu,
    failures: max.non2xx + max.errors,
  };
}

const NO_LATENCY: Latency = { requestsPerSecond: Number.NaN, p50Ms: Number.NaN, p99Ms: Number.NaN };
const latencyOf = ({ requestsPerSecond, p50Ms, p99Ms }: LoadFigures): Latency => ({ requestsPerSecond, p50Ms, p99Ms });

/**
 * p50 and p99 at a fixed rate (half the maximum), for `settings.fixedRateSeconds` in each
 * pacing: staggered, the rate spread over each second as independent users send it, and in
 * bursts, each second's requests sent at once (load.ts).
 */
export async function measureLatency(
  scenario: Scenario,
  target: Target,
  rate: number,
  settings: MeasureSettings,
): Promise<{ latency: Record<Pacing, Latency>; failures: number }> {
  if (settings.fixedRateSeconds === 0) return { latency: { staggered: NO_LATENCY, burst: NO_LATENCY }, failures: 0 };
  const staggered = await runLoad(scenario, { ...target.load, rate, pacing: "staggered" }, settings.fixedRateSeconds);
  const burst = await runLoad(scenario, { ...target.load, rate, pacing: "burst" }, settings.fixedRateSeconds);
  return {
    latency: { staggered: latencyOf(staggered), burst: latencyOf(burst) },
    failures: staggered.non2xx + staggered.errors + burst.non2xx + burst.errors,
  };
}
