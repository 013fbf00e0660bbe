import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createTestDatabase, freePort, startProcess, waitForStatus } from "@daycarat/testkit";

const SERVER_MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

describe("the server process", () => {
  it("refuses to start with an unusable configuration, naming every variable", async () => {
    const server = startProcess(SERVER_MAIN, { NODE_ENV: "production", DATABASE_URL: "", JWT_SECRET: "", PORT: "http" });
    expect((await server.exited()).code).toBe(1);
    expect(server.output()).toContain("DATABASE_URL: is required in production");
    expect(server.output()).toContain("JWT_SECRET: is required in production");
    expect(server.output()).toMatch(/PORT: .+/);
  });

  it("refuses to start without a database outside production too", async () => {
    const server = startProcess(SERVER_MAIN, { NODE_ENV: "development", DATABASE_URL: "" });
    expect((await server.exited()).code).toBe(1);
    expect(server.output()).toContain("DATABASE_URL: is not set");
  });

  it("finishes an in-flight request on SIGTERM, refuses new ones, and exits cleanly", async () => {
    const { url: databaseUrl } = await createTestDatabase();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = startProcess(SERVER_MAIN, { DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: "info" });
    await waitForStatus(`${base}/readyz`, 200);

    // A request whose body is still arriving when the stop signal comes.
    const body = JSON.stringify({ note: "보석 가공 중" });
    const inFlight = new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const slow = request(`${base}/trpc/no.such.procedure`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      });
      slow.on("response", (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0, connection: response.headers.connection });
      });
      slow.on("error", reject);
      slow.write(body.slice(0, 5));
      setTimeout(() => {
        server.child.kill("SIGTERM");
        setTimeout(() => slow.end(body.slice(5)), 500);
      }, 200);
    });

    const started = Date.now();
    // Answered by tRPC: the request ran to its end, and its keep-alive connection is let go.
    expect(await inFlight).toEqual({ status: 404, connection: "close" });
    await expect(fetch(`${base}/healthz`)).rejects.toThrow(); // no new connections
    expect((await server.exited(10_000)).code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(server.output()).toContain('"msg":"shutting down"');
  });
});
