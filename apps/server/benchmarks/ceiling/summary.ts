// bench:ceiling's results: a Markdown table, and the one-line JSON object the run ends with.

export const API_PATHS = ["trpc", "rest"] as const;
export type ApiPath = (typeof API_PATHS)[number];

/** One server, one scenario: its maximum, the latency at half of it, and the CPU it spent. */
export interface TargetFigures {
  /** Requests per second as fast as it answered. */
  maxRps: number;
  /** The fixed rate the latencies were measured at: half of maxRps. */
  halfRate: number;
  p50Ms: number;
  p99Ms: number;
  /** Server CPU (user + system, every process of the server) per request, at the maximum. */
  cpuMsPerRequest: number;
  /** Body of one answer. */
  bytes: number;
  non2xx: number;
  errors: number;
}

export interface CeilingRow {
  /** e.g. "episodes.list first page". */
  scenario: string;
  path: ApiPath;
  project: TargetFigures;
  raw: TargetFigures;
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
        ratio: row.raw.maxRps > 0 ? round(row.project.maxRps / row.raw.maxRps, 3) : null,
      },
    ]),
  );
  return JSON.stringify({ ceiling });
}

export function ceilingTable(rows: CeilingRow[]): string[] {
  const lines = [
    "| path | scenario | project req/s | raw req/s | ratio | project p50 / p99 ms | raw p50 / p99 ms | project CPU ms/req | raw CPU ms/req | bytes project / raw |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const latency = (figures: TargetFigures) => `${figures.p50Ms.toFixed(1)} / ${figures.p99Ms.toFixed(1)}`;
  for (const { path, scenario, project, raw } of rows) {
    const cells = [
      path,
      scenario,
      project.maxRps.toFixed(0),
      raw.maxRps.toFixed(0),
      raw.maxRps > 0 ? (project.maxRps / raw.maxRps).toFixed(2) : "—",
      latency(project),
      latency(raw),
      project.cpuMsPerRequest.toFixed(2),
      raw.cpuMsPerRequest.toFixed(2),
      `${project.bytes} / ${raw.bytes}`,
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines;
}
