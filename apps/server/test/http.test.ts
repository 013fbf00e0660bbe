import { afterAll, describe, expect, it } from "vitest";
import { createDatabaseClient } from "@daycarat/db";
import { createEmptyDatabase } from "@daycarat/testkit";
import { startTestApi, startTestServer } from "./test-server.ts";

const server = await startTestApi({ BODY_LIMIT_BYTES: "2048" });

describe("health", () => {
  it("answers /healthz while the process lives", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("answers /readyz 200 when the database is migrated", async () => {
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ready" });
  });

  it("answers /readyz 503 while migrations are pending", async () => {
    const empty = await createEmptyDatabase();
    const unmigrated = createDatabaseClient(empty.url, { maxConnections: 1 });
    afterAll(() => unmigrated.$disconnect());
    const other = await startTestServer(unmigrated, empty.url);

    const response = await fetch(`${other.url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "unavailable" });
  });
});

describe("requests", () => {
  it("carry a generated request id, echoed in the response and on every log line", async () => {
    const response = await fetch(`${server.url}/trpc/no.such.procedure`);
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);

    const requestLines = server.logs.lines().filter((line) => line.reqId === requestId);
    expect(requestLines.map((line) => line.msg)).toEqual(["incoming request", "request completed"]);
  });

  it("keep a well-formed incoming request id and replace a malformed one", async () => {
    const kept = await fetch(`${server.url}/healthz`, { headers: { "x-request-id": "edge-7f3a.1" } });
    expect(kept.headers.get("x-request-id")).toBe("edge-7f3a.1");

    for (const malformed of ["has spaces; and <html>", "x".repeat(129)]) {
      const replaced = await fetch(`${server.url}/healthz`, { headers: { "x-request-id": malformed } });
      expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("reach tRPC at /trpc, with errors that carry a code and no stack", async () => {
    const response = await fetch(`${server.url}/trpc/no.such.procedure`);
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { data: Record<string, unknown> } };
    expect(body.error.data).toMatchObject({ code: "NOT_FOUND", httpStatus: 404 });
    expect(body.error.data).not.toHaveProperty("stack");
  });

  it("are refused with 413 above the body limit", async () => {
    const response = await fetch(`${server.url}/trpc/no.such.procedure`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "가".repeat(2048) }),
    });
    expect(response.status).toBe(413);
  });

  it("never write credentials to the log", async () => {
    const secret = "eyJhbGciOiJIUzI1NiJ9.secret-access-token.signature";
    await fetch(`${server.url}/trpc/no.such.procedure?input=${encodeURIComponent(JSON.stringify({ refreshToken: "r" }))}`, {
      headers: { authorization: `Bearer ${secret}`, cookie: `session=${secret}` },
    });
    await fetch(`${server.url}/trpc/no.such.procedure`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ refreshToken: secret }),
    });
    expect(server.logs.text()).not.toContain("secret-access-token");
  });
});
