import { connect, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { METRICS_OFF, startNodeProcess } from "@daycarat/devkit";
import { cleanUpAfter, createTestDatabase, errorLines, freePort, startProcess, waitFor, waitForStatus } from "@daycarat/testkit";
import { errorAnswerData } from "./error-shape.ts";

// A server process asked to stop: first it drains (its /readyz fails while it still serves, so
// that a load balancer takes it out), then it closes (a request that still arrives is refused in
// the API's error shape), then it exits 0. Without a drain, Ctrl+C to its group stops it at once.

const SERVER_MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const DRAIN_MS = 3_000;

async function startServer(env: NodeJS.ProcessEnv) {
  const { url: databaseUrl } = await createTestDatabase();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startProcess(SERVER_MAIN, { DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: "info", ...env });
  await waitForStatus(`${base}/readyz`, 200);
  return { server, base, port };
}

/** A connection whose request has begun (its first header line sent), which the server must wait for. */
async function begunRequest(port: number, path: string): Promise<{ finish: () => Promise<RawAnswer> }> {
  const socket = connect(port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
  return {
    finish: () => {
      const answer = rawAnswer(socket);
      socket.write("Accept: application/json\r\n\r\n");
      return answer;
    },
  };
}

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The answer on a raw connection, once the server closed it. */
function rawAnswer(socket: Socket): Promise<RawAnswer> {
  let text = "";
  socket.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.once("close", () => {
      const [head = "", body = ""] = text.split("\r\n\r\n");
      const [statusLine = "", ...headerLines] = head.split("\r\n");
      const headers = Object.fromEntries(
        headerLines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body: JSON.parse(body) as unknown });
    });
  });
}

describe("a stopping server process", () => {
  it("answers /readyz 503 while it still serves API calls for SHUTDOWN_DRAIN_MS, then exits 0", async () => {
    const { server, base } = await startServer({ SHUTDOWN_DRAIN_MS: String(DRAIN_MS) });
    server.child.kill("SIGTERM");

    const readiness = await waitForStatus(`${base}/readyz`, 503, DRAIN_MS);
    expect(await readiness.json()).toEqual({ status: "draining" });
    // A real call, through the database: the server still does its work.
    const signIn = await fetch(`${base}/trpc/auth.dev`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "draining@daycarat.dev" }),
    });
    expect(signIn.status).toBe(200);
    // Each answer lets its connection go, so a keep-alive client comes back on another server.
    expect(signIn.headers.get("connection")).toBe("close");
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(server.hasExited()).toBe(false);

    expect((await server.exited(DRAIN_MS + 10_000)).code).toBe(0);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    const output = server.output();
    expect(output.indexOf('"msg":"draining')).toBeGreaterThan(output.indexOf('"msg":"shutting down"'));
    expect(errorLines(output)).toEqual([]);
  });

  it("refuses a request that arrives while it closes with a 503 in the API's error shape, and exits 0", async () => {
    const { server, base, port } = await startServer({});
    const [trpc, rest] = await Promise.all([begunRequest(port, "/trpc/me.get"), begunRequest(port, "/api/v1/me")]);
    server.child.kill("SIGTERM");
    // The listener is closed: the server is closing, held open by the two requests it waits for.
    await waitFor(
      () =>
        fetch(`${base}/healthz`).then(
          () => undefined,
          () => true,
        ),
      10_000,
      "the listener to close",
    );

    for (const [answer, url] of [
      [await trpc.finish(), `${base}/trpc/me.get`],
      [await rest.finish(), `${base}/api/v1/me`],
    ] as const) {
      expect(answer.status, JSON.stringify(answer)).toBe(503);
      expect(answer.headers["content-type"]).toContain("application/json");
      expect(answer.headers["retry-after"]).toBe("5");
      expect(errorAnswerData(url, answer.body)).toEqual([{ code: "SERVICE_UNAVAILABLE", httpStatus: 503 }]);
    }
    expect((await server.exited()).code).toBe(0);
    expect(errorLines(server.output())).toEqual([]);
  });

  it("stops at once on Ctrl+C to its process group, and the signal its parent forwards, without a drain", async () => {
    const { url: databaseUrl } = await createTestDatabase();
    const port = await freePort();
    const server = startNodeProcess(SERVER_MAIN, {
      env: { DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: "info", LOG_FORMAT: "json", ...METRICS_OFF },
      ownGroup: true,
    });
    cleanUpAfter(() => {
      if (!server.hasExited()) server.child.kill("SIGKILL");
    });
    await waitForStatus(`http://127.0.0.1:${port}/readyz`, 200);
    const group = server.child.pid ?? 0;

    process.kill(-group, "SIGINT");
    await sleep(200);
    // What a parent (npm, the launcher) forwarding the same Ctrl+C sends moments later.
    if (!server.hasExited()) process.kill(-group, "SIGINT");
    expect((await server.exited(5_000)).code).toBe(0);
    expect(server.output()).not.toContain("draining");
    expect(server.output()).not.toContain("again while stopping");
    expect(errorLines(server.output())).toEqual([]);
  });
});
