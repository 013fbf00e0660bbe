import type { Settled, Submission } from "./workload.ts";

export interface RunFigures {
  concurrency: number;
  submitted: number;
  succeeded: number;
  /** Refused submissions, FAILED analyses and analyses still unsettled when the run gave up. */
  failures: number;
  /** From the first submit sent to the last analysis SUCCEEDED. */
  totalMs: number;
  analysesPerSecond: number;
  submitMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  modelCalls: number;
  maxInFlight: number;
  /** An `analysis.run` job's time in its handler (pg-boss's started_on → completed_on). */
  jobP50Ms: number;
  jobP95Ms: number;
  /** The pipeline's own time per job: the handler's median beyond the model's answer time. */
  overheadMs: number;
  /** CPU time the worker used per analysis, from the first submit to the last success. */
  workerCpuMsPerAnalysis: number;
}

/** Nearest-rank percentile of values sorted ascending; 0 for none. */
function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}

/** Submit → SUCCEEDED latency of each analysis that succeeded, sorted ascending. */
export function successLatencies(submissions: Submission[], settled: Map<string, Settled>): number[] {
  return submissions
    .flatMap(({ analysisId, submittedAt }) => {
      const outcome = settled.get(analysisId);
      return outcome?.status === "SUCCEEDED" ? [outcome.finishedAt - submittedAt] : [];
    })
    .sort((a, b) => a - b);
}

export function latencyFigures(latencies: number[]): Pick<RunFigures, "p50Ms" | "p95Ms" | "maxMs"> {
  return { p50Ms: percentile(latencies, 0.5), p95Ms: percentile(latencies, 0.95), maxMs: latencies.at(-1) ?? 0 };
}

const seconds = (milliseconds: number) => (milliseconds / 1000).toFixed(2);

export function printHeading(title: string): void {
  console.log(`\n=== ${title} ===`);
}

export function printRunLine(figures: RunFigures): void {
  console.log(
    `AI_CONCURRENCY=${figures.concurrency}: ${figures.succeeded}/${figures.submitted} SUCCEEDED in ${seconds(figures.totalMs)} s ` +
      `(${figures.analysesPerSecond.toFixed(1)} analyses/s; submits took ${seconds(figures.submitMs)} s); ` +
      `submit→SUCCEEDED p50 ${seconds(figures.p50Ms)} s, p95 ${seconds(figures.p95Ms)} s, max ${seconds(figures.maxMs)} s; ` +
      `model calls ${figures.modelCalls}, max in flight at the model ${figures.maxInFlight}; failures ${figures.failures}; ` +
      `job p50 ${figures.jobP50Ms.toFixed(1)} ms (${figures.overheadMs.toFixed(1)} ms beyond the model), ` +
      `worker CPU ${figures.workerCpuMsPerAnalysis.toFixed(2)} ms per analysis`,
  );
}

/** The results as a Markdown table, ready for BENCHMARKS.md. */
export function printFiguresTable(rows: RunFigures[]): void {
  console.log(
    "| AI_CONCURRENCY | analyses | total s | analyses/s | p50 s | p95 s | max s | max in flight at model | model calls | failures " +
      "| job p50 ms | job p95 ms | overhead ms/job | worker CPU ms/analysis |",
  );
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const row of rows) {
    const cells = [
      row.concurrency,
      `${row.succeeded}/${row.submitted}`,
      seconds(row.totalMs),
      row.analysesPerSecond.toFixed(1),
      seconds(row.p50Ms),
      seconds(row.p95Ms),
      seconds(row.maxMs),
      row.maxInFlight,
      row.modelCalls,
      row.failures,
      row.jobP50Ms.toFixed(1),
      row.jobP95Ms.toFixed(1),
      row.overheadMs.toFixed(1),
      row.workerCpuMsPerAnalysis.toFixed(2),
    ];
    console.log(`| ${cells.join(" | ")} |`);
  }
}
