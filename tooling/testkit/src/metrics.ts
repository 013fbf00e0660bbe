// Reading a Prometheus text-format scrape, as tests check what the processes expose.

export interface Scrape {
  /** The sum of the samples of `name` whose labels include `labels` (0 when none). */
  value(name: string, labels?: Record<string, string>): number;
  /** The label sets `name` has samples for. */
  series(name: string): Record<string, string>[];
  /** Every name a query may use: each metric declared (`# TYPE`), a histogram's `_bucket`, `_sum` and `_count` too, and each sampled name. */
  names: ReadonlySet<string>;
}

const SAMPLE = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;
const SUFFIXES: Record<string, string[]> = { histogram: ["_bucket", "_sum", "_count"], summary: ["_sum", "_count"] };

function parseScrape(text: string): Scrape {
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  const names = new Set<string>();
  for (const line of text.split("\n")) {
    const declared = /^# TYPE (\S+) (\S+)/.exec(line);
    if (declared) {
      const [, name = "", type = ""] = declared;
      names.add(name);
      for (const suffix of SUFFIXES[type] ?? []) names.add(name + suffix);
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (!sample || line.startsWith("#")) continue;
    const [, name = "", labelText = "", value = ""] = sample;
    const labels = Object.fromEntries([...labelText.matchAll(LABEL)].map(([, key = "", text = ""]) => [key, text]));
    samples.push({ name, labels, value: Number(value) });
    names.add(name);
  }
  const matching = (name: string, labels: Record<string, string>) =>
    samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, text]) => sample.labels[key] === text));
  return {
    value: (name, labels = {}) => matching(name, labels).reduce((sum, sample) => sum + sample.value, 0),
    series: (name) => matching(name, {}).map((sample) => sample.labels),
    names,
  };
}

/** GETs a metrics endpoint and reads it; fails on any answer but 200. */
export async function scrapeMetrics(url: string): Promise<Scrape> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  return parseScrape(await response.text());
}
