import { request as httpRequest } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabaseClient } from "@daycarat/db";
import { createEmptyDatabase } from "@daycarat/testkit";
import { expectDocumentedError } from "./error-shape.ts";
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

  it("answer tRPC queries, batches and errors whole, with their length, and stream a batch asked for as JSON lines", async () => {
    const { tokens, userId } = await server.signIn("whole@http.dev");
    const headers = { authorization: `Bearer ${(await tokens.get())?.accessToken ?? ""}` };
    const answers = {
      query: await fetch(`${server.url}/trpc/me.get`, { headers }),
      batch: await fetch(`${server.url}/trpc/me.get,stats.counts?batch=1&input=%7B%7D`, { headers }),
      error: await fetch(`${server.url}/trpc/no.such.procedure`),
    };
    for (const [what, response] of Object.entries(answers)) {
      const body = await response.text();
      expect(response.headers.get("transfer-encoding"), what).toBeNull();
      expect(response.headers.get("content-length"), what).toBe(String(Buffer.byteLength(body)));
      expect(response.headers.get("x-request-id"), what).toBeTruthy();
    }
    expect(answers.query.status).toBe(200);
    expect(answers.error.status).toBe(404);

    const streamed = await fetch(`${server.url}/trpc/me.get,stats.counts?batch=1&input=%7B%7D`, {
      headers: { ...headers, "trpc-accept": "application/jsonl" },
    });
    expect(streamed.headers.get("transfer-encoding")).toBe("chunked");
    expect(await streamed.text()).toContain(userId);
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

describe("every error answer has the documented shape and code", () => {
  const json = { "content-type": "application/json" };
  const post = (path: string, headers: Record<string, string>, body: string) =>
    fetch(`${server.url}${path}`, { method: "POST", headers, body });

  it("bodies that are not JSON, empty or of another type, on REST and tRPC", async () => {
    const cases: [string, Promise<Response>, number, string][] = [
      ["invalid JSON, REST", post("/api/v1/auth/dev", json, "{"), 400, "BAD_REQUEST"],
      ["invalid JSON, tRPC", post("/trpc/auth.dev", json, "{"), 400, "BAD_REQUEST"],
      ["empty JSON, REST", post("/api/v1/auth/dev", json, ""), 400, "BAD_REQUEST"],
      ["text, REST", post("/api/v1/auth/dev", { "content-type": "text/plain" }, "x"), 415, "UNSUPPORTED_MEDIA_TYPE"],
      ["text, tRPC", post("/trpc/auth.dev", { "content-type": "text/plain" }, "x"), 415, "UNSUPPORTED_MEDIA_TYPE"],
      ["too large, REST", post("/api/v1/auth/dev", json, JSON.stringify({ email: "가".repeat(2048) })), 413, "PAYLOAD_TOO_LARGE"],
      ["too large, tRPC", post("/trpc/auth.dev", json, JSON.stringify({ email: "가".repeat(2048) })), 413, "PAYLOAD_TOO_LARGE"],
    ];
    for (const [name, answer, status, code] of cases) {
      const response = await answer;
      expect(response.status, name).toBe(status);
      expect(await expectDocumentedError(response), name).toMatchObject({ code, httpStatus: status });
    }
  });

  it("unknown routes and methods, anywhere", async () => {
    for (const [method, path] of [
      ["GET", "/nope"],
      ["DELETE", "/healthz"],
      ["GET", "/api/v1/nope"],
      ["GET", "/trpc/no.such.procedure"],
    ] as const) {
      const response = await fetch(`${server.url}${path}`, { method });
      expect(response.status, path).toBe(404);
      expect(await expectDocumentedError(response), path).toMatchObject({ code: "NOT_FOUND" });
    }
  });

  it("Node's own 431 for headers too large, in the shape of the API asked", async () => {
    const tooLarge = (path: string) =>
      new Promise<{ status?: number; body: unknown }>((resolve, reject) => {
        const request = httpRequest(`${server.url}${path}`, { headers: { "x-large": "a".repeat(20_000) } }, (response) => {
          let text = "";
          response.on("data", (chunk: Buffer) => {
            text += chunk.toString();
          });
          response.on("end", () => {
            resolve({ status: response.statusCode, body: JSON.parse(text) });
          });
        });
        request.on("error", reject);
        request.end();
      });
    const data = { code: "BAD_REQUEST", httpStatus: 431 };
    expect(await tooLarge("/api/v1/me")).toEqual({
      status: 431,
      body: { message: "Request headers are too large", code: "BAD_REQUEST", data },
    });
    expect(await tooLarge("/trpc/me.get")).toEqual({
      status: 431,
      body: { error: { message: "Request headers are too large", code: -32600, data } },
    });
  });
});
