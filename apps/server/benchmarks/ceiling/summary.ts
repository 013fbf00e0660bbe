// bench:ceiling's results: a Markdown table, and the one-line JSON object the run ends with.
import type { Pacing } from "../load.ts";

export const API_PATHS = ["trpc", "rest"] as const;
export type ApiPath = (typeof API_PATHS)[number];

/** The goal's bound on p99 at half the maximum, requests arriving spread over each second. */
export const P99_GOAL_MS = 25;

export interface Latency {
  /** The rate answered, to set beside the one asked for. */
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** One server, one scenario: its maximum, the latency at half of it, and the CPU it spent. */
export interface TargetFigures {
  /** Requests per second as fast as it answered: the median of the rounds. */
  maxRps: number;
  /** The fixed rate the latencies were measured at: half of maxRps. */
  halfRate: number;
  /** At halfRate, in each pacing. */
  latency: Record<Pacing, Latency>;
  /** Server CPU (user + system, every process of the server) per request, at the maximum: the median of the rounds. */
  cpuMsPerRequest: number;
  /** Body of one answer. */
  bytes: number;
  /** Responses that were not 2xx, and connection errors, over every run. */
  failures: number;
}

export interface CeilingRow {
  /** e.g. "episodes.list first page". */
  scenario: string;
  path: ApiPath;
  project: TargetFigures;
  raw: TargetFigures;
  /** project / raw req/s in each round, the two measured back to back. */
  roundRatios: number[];
  /** The median of the rounds' ratios. */
  ratio: number;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** `{"ceiling": {"trpc episodes.list first page": {"project_rps": …, "raw_rps": …, "ratio": …}, …}}` */
export function ceilingLine(rows: CeilingRow[]): string {
  const ceiling = Object.fromEntries(
    rows.map((row) => [
      `${row.path} ${row.scenario}`,
      {
        project_rps: round(row.project.maxRps, 1),
        raw_rps: round(row.raw.maxRps, 1),
        ratio: Number.isFinite(row.ratio) ? round(row.ratio, 3) : null,
      },
    ]),
  );
  return JSON.stringify({ ceiling });
}

export function ceilingTable(rows: CeilingRow[]): string[] {
  const lines = [
    "| path | scenario | project req/s | raw req/s | ratio (rounds) | project p50 / p99 ms at half max, staggered | " +
      `p99 < ${P99_GOAL_MS} ms | raw p50 / p99 ms, staggered | project · raw p50 / p99 ms, bursts | project CPU ms/req | raw CPU ms/req | bytes project / raw |`,
    "| --- | --- | ---: | ---: | ---: | ---: | :---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const latency = ({ p50Ms, p99Ms }: Latency) => `${p50Ms.toFixed(1)} / ${p99Ms.toFixed(1)}`;
  const goal = ({ p99Ms }: Latency) => {
    if (Number.isNaN(p99Ms)) return "—";
    return p99Ms < P99_GOAL_MS ? "met" : "MISSED";
  };
  for (const { path, scenario, project, raw, ratio, roundRatios } of rows) {
    const cells = [
      path,
      scenario,
      project.maxRps.toFixed(0),
      raw.maxRps.toFixed(0),
      Number.isFinite(ratio) ? `${ratio.toFixed(2)} (${roundRatios.map((each) => each.toFixed(2)).join(", ")})` : "—",
      latency(project.latency.staggered),
      goal(project.latency.staggered),
      latency(raw.latency.staggered),
      `${latency(project.latency.burst)} · ${latency(raw.latency.burst)}`,
      project.cpuMsPerRequest.toFixed(2),
      raw.cpuMsPerRequest.toFixed(2),
      `${project.bytes} / ${raw.bytes}`,
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines;
}
