import { median } from "es-toolkit/math/median";
import { integerSetting, type CleanupStack, type NodeProcess } from "@daycarat/devkit";
import { cpuMsByProcess, cpuSpent } from "@daycarat/devkit";
import type { LoadFigures, LoadSettings } from "./load.ts";
import { printHeading } from "./report.ts";
import type { Scenario } from "./scenarios.ts";

// BENCH_COMPARE=<comparison>: what a feature costs each request. Servers that differ only in
// their environment (tracing on, metrics off, …) take each scenario in turn, in short rounds
// (BENCH_COMPARE_ROUNDS, the measured time split between them) so that they share whatever else
// the machine does; each round reports the server's CPU time per request besides its latencies,
// CPU time being the steadier measure on a shared machine, and the medians of the rounds are
// compared with the first variant's.

const ROUNDS = integerSetting("BENCH_COMPARE_ROUNDS", 3, 1);

type Server = NodeProcess & { url: string };

/** One of the servers compared: its label, and the variables it gets beyond the benchmark's own server's. */
export interface ServerVariant {
  label: string;
  /** Undefined: the benchmark's own server. */
  env?: NodeJS.ProcessEnv;
}

/** What is compared: the first variant is the base the others are measured against. */
export interface Comparison {
  title: string;
  variants: readonly [ServerVariant, ...ServerVariant[]];
  /** Printed after the table (e.g. what a receiver took). */
  summary?(): string;
}

interface VariantRound {
  label: string;
  figures: LoadFigures;
  cpuMsPerRequest: number;
}

/** A variant's rounds of one scenario: their medians, and the failed responses of them all. */
interface VariantFigures {
  label: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerRequest: number;
  failed: number;
}

export interface ComparisonRunner {
  /** The benchmark's own server. */
  server: Server;
  /** Starts another server like it, with these variables besides. */
  startServer(env: NodeJS.ProcessEnv): Promise<Server>;
  /** The load for a scenario's runs (fresh tokens). */
  loadFor(scenario: Scenario): Promise<LoadSettings>;
  /** Checks a scenario's answer and warms the server up with it. */
  warmUp(scenario: Scenario, load: LoadSettings): Promise<void>;
  /** The scenario's load for this long, measured. */
  measure(scenario: Scenario, load: LoadSettings, durationSeconds: number): Promise<LoadFigures>;
}

async function measureRound(
  { label, server }: { label: string; server: Server },
  scenario: Scenario,
  load: LoadSettings,
  runner: ComparisonRunner,
): Promise<VariantRound> {
  const pid = server.child.pid;
  if (pid === undefined) throw new Error("the server process has no pid");
  const cpuBefore = cpuMsByProcess(pid);
  const figures = await runner.measure(
    scenario,
    { ...load, serverUrl: server.url },
    Math.max(1, Math.round(load.durationSeconds / ROUNDS)),
  );
  const cpuMsPerRequest = cpuSpent(cpuBefore, cpuMsByProcess(pid)).totalMs / figures.requests;
  console.log(`  ${label}: ${cpuMsPerRequest.toFixed(3)} ms CPU per request, p50 ${figures.p50Ms.toFixed(1)} ms`);
  return { label, figures, cpuMsPerRequest };
}

function summarize(label: string, rounds: VariantRound[]): VariantFigures {
  const mine = rounds.filter((round) => round.label === label);
  return {
    label,
    requestsPerSecond: median(mine.map((round) => round.figures.requestsPerSecond)),
    p50Ms: median(mine.map((round) => round.figures.p50Ms)),
    p99Ms: median(mine.map((round) => round.figures.p99Ms)),
    cpuMsPerRequest: median(mine.map((round) => round.cpuMsPerRequest)),
    failed: mine.reduce((sum, round) => sum + round.figures.non2xx + round.figures.errors, 0),
  };
}

const percentMore = (value: number, base: number) => `${value >= base ? "+" : ""}${(((value - base) / base) * 100).toFixed(1)} %`;

function printComparison(comparison: Comparison, rows: { scenario: Scenario; variants: VariantFigures[] }[]): void {
  const [base] = comparison.variants;
  printHeading(`${comparison.title} (medians of ${ROUNDS} rounds)`);
  console.log(`| scenario | server | req/s | p50 ms | p99 ms | server CPU ms per request | CPU vs ${base.label} | p50 vs ${base.label} |`);
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const { scenario, variants } of rows) {
    const [off] = variants;
    for (const { label, requestsPerSecond, p50Ms, p99Ms, cpuMsPerRequest } of variants) {
      const versusOff =
        off && off.label !== label ? [percentMore(cpuMsPerRequest, off.cpuMsPerRequest), percentMore(p50Ms, off.p50Ms)] : ["—", "—"];
      const cells = [scenario.name, label, requestsPerSecond.toFixed(1), p50Ms.toFixed(1), p99Ms.toFixed(1), cpuMsPerRequest.toFixed(3)];
      console.log(`| ${[...cells, ...versusOff].join(" | ")} |`);
    }
  }
  const summary = comparison.summary?.();
  if (summary) console.log(summary);
}

/**
 * Runs every scenario against each variant's server, in rounds, each round starting with the
 * next server in turn; returns the variants of scenarios with a failed response.
 */
export async function compareServerVariants(
  comparison: Comparison,
  scenarios: readonly Scenario[],
  runner: ComparisonRunner,
  cleanups: CleanupStack,
): Promise<(VariantFigures & { scenario: string })[]> {
  const servers = [];
  for (const { label, env } of comparison.variants) {
    const server = env ? await runner.startServer(env) : runner.server;
    if (env) cleanups.push(() => server.stop());
    servers.push({ label, server });
  }
  const rows = [];
  for (const scenario of scenarios) {
    console.log(`${scenario.name}:`);
    const load = await runner.loadFor(scenario);
    for (const { server } of servers) await runner.warmUp(scenario, { ...load, serverUrl: server.url });
    const rounds: VariantRound[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // None always goes first, meeting a machine the others left warm (or busy).
      const shift = round % servers.length;
      for (const server of [...servers.slice(shift), ...servers.slice(0, shift)])
        rounds.push(await measureRound(server, scenario, load, runner));
    }
    rows.push({ scenario, variants: comparison.variants.map(({ label }) => summarize(label, rounds)) });
  }
  printComparison(comparison, rows);
  return rows.flatMap(({ scenario, variants }) =>
    variants.filter((variant) => variant.failed > 0).map((variant) => ({ ...variant, scenario: scenario.name })),
  );
}
