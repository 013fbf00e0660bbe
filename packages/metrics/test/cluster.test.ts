import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { freePort, scrapeMetrics, startProcess } from "@daycarat/testkit";

const CLUSTER = fileURLToPath(new URL("fixtures/cluster-server.ts", import.meta.url));

describe("metrics of a node:cluster of servers", () => {
  it("are served once, by the primary, with every process's figures added up", async () => {
    const port = await freePort();
    const primary = startProcess(CLUSTER, { METRICS_PORT: String(port) });
    await expect.poll(() => primary.output(), { timeout: 20_000 }).toContain("every process counted");

    const scrape = await scrapeMetrics(`http://127.0.0.1:${port}/metrics`);
    expect(scrape.value("daycarat_http_requests_total", { procedure: "me.get", code: "200" })).toBe(3);
    expect(scrape.value("daycarat_sse_connections")).toBe(3);
    expect(scrape.value("daycarat_db_pool_connections", { state: "total" })).toBe(6);
    expect(scrape.names).toContain("process_cpu_seconds_total");
    primary.child.kill("SIGKILL");
  });
});
