import type { ScenarioPlans } from "./explain.ts";
import type { LoadFigures } from "./load.ts";
import { P99_TARGET_MS, type Scenario } from "./scenarios.ts";

const SQL_PREVIEW_CHARS = 600;

export function printHeading(title: string): void {
  console.log(`\n=== ${title} ===`);
}

const milliseconds = (value: number) => value.toFixed(1);
const thousands = (value: number) => value.toLocaleString("en-US");

/** One line on how the plans read the tables: the indexes used, and any Seq Scan of a big table. */
export function indexVerdict(plans: ScenarioPlans): string {
  const used = plans.indexesUsed.length > 0 ? `uses ${plans.indexesUsed.join(", ")}` : "uses no index";
  const problems = [
    ...plans.bigSeqScans.map((scan) => `SEQ SCAN on ${scan.table} (${thousands(scan.rows)} rows)`),
    ...plans.wideScans.map((scan) => `${scan.node} reads ${thousands(scan.rowsRead)} rows (other users' too)`),
    ...plans.missingExpectedIndexes.map((index) => `expected ${index} unused`),
  ];
  return problems.length === 0 ? `OK: ${used}` : `CHECK: ${problems.join("; ")} (${used})`;
}

export function printPlans(plans: ScenarioPlans): void {
  printHeading(`EXPLAIN (ANALYZE, BUFFERS): ${plans.scenario.name}`);
  plans.plans.forEach(({ query, lines }, index) => {
    const sql = query.sql.replace(/\s+/g, " ").trim();
    console.log(
      `-- statement ${index + 1} of ${plans.plans.length}: ${sql.slice(0, SQL_PREVIEW_CHARS)}${sql.length > SQL_PREVIEW_CHARS ? " …" : ""}`,
    );
    console.log(`-- parameters: ${JSON.stringify(query.params)}`);
    for (const line of lines) console.log(`   ${line}`);
  });
  console.log(`index use: ${indexVerdict(plans)}`);
}

function targetCell(scenario: Scenario, figures: LoadFigures): string {
  if (!scenario.hasLatencyTarget) return "—";
  return figures.p99Ms < P99_TARGET_MS ? "met" : "MISSED";
}

/** The results as a Markdown table, ready for BENCHMARKS.md. */
export function printFiguresTable(rows: { scenario: Scenario; figures: LoadFigures; plans: ScenarioPlans | undefined }[]): void {
  console.log(`| scenario | req/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | errors | p99 < ${P99_TARGET_MS} ms | index use |`);
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
  for (const { scenario, figures, plans } of rows) {
    const cells = [
      scenario.name,
      figures.requestsPerSecond.toFixed(1),
      milliseconds(figures.p50Ms),
      milliseconds(figures.p90Ms),
      milliseconds(figures.p99Ms),
      milliseconds(figures.maxMs),
      String(figures.non2xx),
      String(figures.errors),
      targetCell(scenario, figures),
      plans ? indexVerdict(plans) : "not explained",
    ];
    console.log(`| ${cells.join(" | ")} |`);
  }
}

export function printFiguresLine(figures: LoadFigures): void {
  console.log(
    `${figures.scenario}: ${thousands(figures.requests)} requests, ${figures.requestsPerSecond.toFixed(1)} req/s, ` +
      `p50 ${milliseconds(figures.p50Ms)} ms, p90 ${milliseconds(figures.p90Ms)} ms, p99 ${milliseconds(figures.p99Ms)} ms, ` +
      `max ${milliseconds(figures.maxMs)} ms, non-2xx ${figures.non2xx}, errors ${figures.errors}`,
  );
}

export function printSeedSummary(rowCounts: Record<string, number>, durationMs: number): void {
  const counts = Object.entries(rowCounts).map(([table, count]) => `${table} ${thousands(count)}`);
  console.log(`seeded in ${(durationMs / 1000).toFixed(1)} s (indexes rebuilt, VACUUM ANALYZE included): ${counts.join(", ")}`);
}
