import { expect, it } from "vitest";
import type { QueueHealth } from "@daycarat/jobs";
import { createLogger } from "@daycarat/logger";
import { startWorkerMetrics } from "@daycarat/metrics";
import { freePort, scrapeMetrics } from "@daycarat/testkit";

it("keeps answering scrapes, with the queues' last figures, while the queues cannot be read", async () => {
  const port = await freePort();
  const logger = createLogger({ service: "test", level: "silent", pretty: false });
  const metrics = await startWorkerMetrics(
    { port, host: "127.0.0.1", logger },
    { queues: ["analysis.run"], prices: {}, poolConnections: () => ({ total: 1, idle: 1, waiting: 0 }) },
  );
  if (!metrics) throw new Error("metrics are on: a port was given");
  let databaseUp = true;
  const queue: QueueHealth = {
    name: "analysis.run",
    ready: 3,
    active: 1,
    deferred: 0,
    failed: 0,
    oldestReadySeconds: 12,
    deadLetter: null,
  };
  metrics.watchQueues(() => (databaseUp ? Promise.resolve([queue]) : Promise.reject(new Error("Can't reach database server"))));
  try {
    const url = `http://127.0.0.1:${port}/metrics`;
    expect((await scrapeMetrics(url)).value("daycarat_queue_jobs", { queue: "analysis.run", state: "ready" })).toBe(3);

    databaseUp = false;
    const scrape = await scrapeMetrics(url);
    expect(scrape.value("daycarat_queue_jobs", { queue: "analysis.run", state: "ready" })).toBe(3);
    expect(scrape.value("daycarat_queue_oldest_ready_seconds", { queue: "analysis.run" })).toBe(12);
    expect(scrape.value("daycarat_db_pool_connections", { state: "total" })).toBe(1);
  } finally {
    await metrics.close();
  }
});
