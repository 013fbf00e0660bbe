import { afterEach, describe, expect, it, vi } from "vitest";
import { startTracing, stopTracing } from "../src/index.ts";

afterEach(async () => {
  vi.unstubAllEnvs();
  await stopTracing();
});

describe("startTracing", () => {
  it("refuses to start when OTEL_NODE_DISABLED_INSTRUMENTATIONS names an instrumentation it does not have", async () => {
    vi.stubEnv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9");
    vi.stubEnv("OTEL_NODE_DISABLED_INSTRUMENTATIONS", "prisma, kafka");
    await expect(startTracing("daycarat-test")).rejects.toThrow(
      "OTEL_NODE_DISABLED_INSTRUMENTATIONS names kafka; known: fastify, prisma, pg, undici",
    );
  });
});
