import { describe, expect, it } from "vitest";
import { startTestApi, startTestServer } from "./test-server.ts";

// What browsers see: CORS for the configured origins only (preflights of tRPC, REST and the live
// feed), and the security headers on every answer, in development and in production.

const APP_ORIGIN = "https://app.daycarat.test";
const api = await startTestApi({ CORS_ORIGINS: `${APP_ORIGIN}, http://localhost:5173` });
const production = await startTestServer(api.db, api.databaseUrl, {
  NODE_ENV: "production",
  DATABASE_URL: api.databaseUrl,
  JWT_SECRET: "a-production-secret-of-at-least-32-chars",
});
const developmentDefaults = await startTestServer(api.db, api.databaseUrl);

/** The preflight a browser sends before a cross-origin call with a bearer token. */
function preflight(baseUrl: string, path: string, origin: string, method: string, headers = "authorization, content-type") {
  return fetch(`${baseUrl}${path}`, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": method, "access-control-request-headers": headers },
  });
}

// tRPC mutation, REST write, and the live feed as EventSource opens it (a GET on /trpc).
const CALLS = [
  { path: "/trpc/episodes.create", method: "POST" },
  { path: "/api/v1/episodes", method: "POST" },
  { path: "/trpc/notifications.onNew?input=%7B%7D", method: "GET", headers: "authorization, last-event-id" },
] as const;

describe("CORS", () => {
  it("answers preflights from an allowed origin for tRPC, REST and the live feed, without credentials", async () => {
    for (const call of CALLS) {
      const response = await preflight(api.url, call.path, APP_ORIGIN, call.method, "headers" in call ? call.headers : undefined);
      expect(response.status, call.path).toBe(204);
      expect(response.headers.get("access-control-allow-origin"), call.path).toBe(APP_ORIGIN);
      expect(response.headers.get("access-control-allow-methods"), call.path).toContain(call.method);
      expect(response.headers.get("access-control-allow-headers")?.split(","), call.path).toContain("authorization");
      expect(response.headers.get("access-control-allow-credentials"), call.path).toBeNull();
      expect(response.headers.get("vary"), call.path).toContain("Origin");
    }
  });

  it("lets the page read the answer and its request id and Retry-After headers", async () => {
    const response = await fetch(`${api.url}/api/v1/notices`, { headers: { origin: "http://localhost:5173" } });
    expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(response.headers.get("access-control-expose-headers")?.split(/, */)).toEqual(["x-request-id", "retry-after"]);
  });

  it("gives any other origin nothing to allow its call, for tRPC, REST and the live feed", async () => {
    for (const origin of ["https://evil.example", "https://app.daycarat.test.evil.example", "http://app.daycarat.test"]) {
      for (const call of CALLS) {
        const response = await preflight(api.url, call.path, origin, call.method);
        expect(response.headers.get("access-control-allow-origin"), `${origin} ${call.path}`).toBeNull();
      }
      const simple = await fetch(`${api.url}/trpc/notices.list?input=%7B%7D`, { headers: { origin } });
      expect(simple.headers.get("access-control-allow-origin")).toBeNull();
    }
  });

  it("allows the Vite dev server by default outside production, and no origin by default in production", async () => {
    const development = await preflight(developmentDefaults.url, "/trpc/episodes.create", "http://localhost:5173", "POST");
    expect(development.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    const refused = await preflight(production.url, "/trpc/episodes.create", "http://localhost:5173", "POST");
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("security headers", () => {
  const PATHS = ["/trpc/notices.list?input=%7B%7D", "/api/v1/me", "/docs/", "/healthz", "/no/such/route"];

  it("forbid sniffing, framing and referrers on every answer, with a content security policy", async () => {
    for (const path of PATHS) {
      const { headers } = await fetch(`${api.url}${path}`);
      expect(headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(headers.get("x-frame-options"), path).toBe("DENY");
      expect(headers.get("referrer-policy"), path).toBe("no-referrer");
      const policy = headers.get("content-security-policy") ?? "";
      expect(policy, path).toContain("frame-ancestors 'none'");
      expect(policy, path).toContain("default-src 'self'");
      expect(policy, path).not.toContain("upgrade-insecure-requests");
      // HTTP Strict Transport Security is for production, where the API is served over HTTPS.
      expect(headers.get("strict-transport-security"), path).toBeNull();
    }
  });

  it("add HSTS in production, and have browsers upgrade insecure requests", async () => {
    for (const path of PATHS) {
      const { headers } = await fetch(`${production.url}${path}`);
      expect(headers.get("strict-transport-security"), path).toBe("max-age=31536000; includeSubDomains");
      expect(headers.get("content-security-policy"), path).toContain("upgrade-insecure-requests");
      expect(headers.get("x-content-type-options"), path).toBe("nosniff");
    }
  });
});
