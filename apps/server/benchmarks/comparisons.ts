import { freePort, listenOtlpReceiver, type CleanupStack } from "@daycarat/devkit";
import type { Comparison } from "./server-variants.ts";

// What BENCH_COMPARE can compare: each entry sets up what its variants need and names them,
// the first variant being the benchmark's own server (the base).

type ComparisonSetup = (cleanups: CleanupStack) => Promise<Comparison>;

/** Prometheus's usual scrape interval. */
const SCRAPE_INTERVAL_MS = 15_000;

const COMPARISONS: Record<string, ComparisonSetup> = {
  /** Metrics off (the benchmark's own server), and on, scraped every 15 s as Prometheus would. */
  async metrics(cleanups) {
    const port = await freePort();
    let scrapes = 0;
    const scraper = setInterval(() => {
      void fetch(`http://127.0.0.1:${port}/metrics`).then(
        async (response) => {
          await response.text();
          scrapes++;
        },
        () => undefined,
      );
    }, SCRAPE_INTERVAL_MS);
    cleanups.push(() => {
      clearInterval(scraper);
      return Promise.resolve();
    });
    return {
      title: "metrics off / on",
      variants: [{ label: "metrics off" }, { label: "metrics on, scraped every 15 s", env: { METRICS_PORT: String(port) } }],
      summary: () => `the metrics were scraped ${scrapes} times`,
    };
  },

  /**
   * Tracing off, and on exporting to a local OTLP receiver: every trace, a tenth of them, and every
   * trace without Prisma's spans.
   */
  async tracing(cleanups) {
    const receiver = await listenOtlpReceiver();
    cleanups.push(() => receiver.close());
    const exporting = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url };
    return {
      title: "tracing off / on",
      variants: [
        { label: "tracing off" },
        { label: "tracing on, every trace", env: exporting },
        {
          label: "tracing on, one trace in ten",
          env: { ...exporting, OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.1" },
        },
        // The instrumentation whose absence came closest to the goal in profiles (BENCHMARKS.md).
        { label: "tracing on, no Prisma spans", env: { ...exporting, OTEL_NODE_DISABLED_INSTRUMENTATIONS: "prisma" } },
      ],
      summary: () => `the receiver took ${receiver.exports()} export requests`,
    };
  },
};

/** The comparison BENCH_COMPARE names, or undefined when it is unset. */
export function comparisonSetting(): ComparisonSetup | undefined {
  const name = process.env.BENCH_COMPARE;
  if (!name) return undefined;
  const setup = COMPARISONS[name];
  if (!setup) throw new Error(`BENCH_COMPARE must be one of ${Object.keys(COMPARISONS).join(", ")}, not "${name}"`);
  return setup;
}
