import { mkdtempSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "@daycarat/config";

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected the configuration to be rejected");
}

describe("loadConfig", () => {
  it("runs a development system with no variables set", () => {
    const config = loadConfig({});
    expect(config.server.port).toBe(3000);
    expect(config.database.url).toBeUndefined();
    expect(config.database.embedded.dataDir).toMatch(/\/\.data\/postgres$/);
    expect(config.auth.devSignInEnabled).toBe(true);
    expect(config.openai.apiKey).toBeUndefined();
  });

  it("names every missing production variable in one message", () => {
    const error = configError({ NODE_ENV: "production" });
    expect(error.variables).toEqual(["DATABASE_URL", "JWT_SECRET"]);
    expect(error.message).toContain("DATABASE_URL: is required in production");
    expect(error.message).toContain("JWT_SECRET: is required in production");
  });

  it("names each invalid variable alongside the missing ones", () => {
    const error = configError({
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://db.internal/daycarat",
      PORT: "eighty",
      OPENAI_BASE_URL: "not a url",
      JWT_SECRET: "short",
    });
    expect(error.variables.sort()).toEqual(["JWT_SECRET", "OPENAI_BASE_URL", "PORT"]);
    expect(error.message).toContain("JWT_SECRET: must be at least 32 characters");
    // Values may be secrets: the message names variables, never what they held.
    expect(error.message).not.toContain("short");
    expect(error.message).not.toContain("eighty");
  });

  it("reads lists, numbers and optional integrations", () => {
    const config = loadConfig({
      PORT: "8080",
      APPLE_CLIENT_IDS: "com.daycarat.app, com.daycarat.web,,",
      SLACK_ADMIN_USER_IDS: "U01,U02",
      OPENAI_API_KEY: " ",
      OPENAI_BASE_URL: "",
    });
    expect(config.server.port).toBe(8080);
    expect(config.auth.appleClientIds).toEqual(["com.daycarat.app", "com.daycarat.web"]);
    expect(config.slack.adminUserIds).toEqual(["U01", "U02"]);
    expect(config.openai.apiKey).toBeUndefined();
    expect(config.openai.baseUrl).toBeUndefined();
  });

  it("revokes Apple tokens only with the team id, key id and key together, and reads the key from one line", () => {
    expect(loadConfig({}).auth.appleRevocation).toBeUndefined();
    const key = "-----BEGIN PRIVATE KEY-----\\nMIGT\\n-----END PRIVATE KEY-----";
    const config = loadConfig({ APPLE_TEAM_ID: "TEAM123456", APPLE_KEY_ID: "KEY7890ABC", APPLE_PRIVATE_KEY: key });
    expect(config.auth.appleRevocation).toEqual({
      apiUrl: "https://appleid.apple.com",
      teamId: "TEAM123456",
      keyId: "KEY7890ABC",
      privateKey: "-----BEGIN PRIVATE KEY-----\nMIGT\n-----END PRIVATE KEY-----",
    });
    expect(configError({ APPLE_TEAM_ID: "TEAM123456" }).variables.sort()).toEqual(["APPLE_KEY_ID", "APPLE_PRIVATE_KEY"]);
    expect(configError({ APPLE_TEAM_ID: "T", APPLE_KEY_ID: "K", APPLE_PRIVATE_KEY: "not a key" }).variables).toEqual(["APPLE_PRIVATE_KEY"]);
  });

  it("reads the refresh-token lifetimes and the revocation re-read period", () => {
    expect(loadConfig({}).auth).toMatchObject({
      refreshTokens: { idleMs: 30 * 86_400_000, maxAgeMs: 90 * 86_400_000, reuseIntervalMs: 30_000 },
      revocationRecheckMs: 30_000,
    });
    const config = loadConfig({
      REFRESH_TOKEN_IDLE_DAYS: "7",
      REFRESH_TOKEN_MAX_AGE_DAYS: "30",
      REFRESH_TOKEN_REUSE_SECONDS: "0",
      ACCESS_REVOCATION_RECHECK_SECONDS: "5",
    });
    expect(config.auth).toMatchObject({
      refreshTokens: { idleMs: 7 * 86_400_000, maxAgeMs: 30 * 86_400_000, reuseIntervalMs: 0 },
      revocationRecheckMs: 5_000,
    });
    expect(configError({ REFRESH_TOKEN_REUSE_SECONDS: "-1" }).variables).toEqual(["REFRESH_TOKEN_REUSE_SECONDS"]);
  });

  it("allows the Vite dev server's origin by default outside production only, and reads origins as origins", () => {
    const production = {
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://db.internal/daycarat",
      JWT_SECRET: "a-production-secret-of-at-least-32-chars",
    };
    expect(loadConfig({}).server.corsOrigins).toEqual(["http://localhost:5173"]);
    expect(loadConfig({ CORS_ORIGINS: "" }).server.corsOrigins).toEqual(["http://localhost:5173"]);
    expect(loadConfig(production).server.corsOrigins).toEqual([]);
    const listed = loadConfig({ ...production, CORS_ORIGINS: "https://app.daycarat.com/, http://localhost:4173" });
    expect(listed.server.corsOrigins).toEqual(["https://app.daycarat.com", "http://localhost:4173"]);
    // The entry that is not an origin is named by its position.
    expect(configError({ CORS_ORIGINS: "https://app.daycarat.com,app.daycarat.com" }).variables).toEqual(["CORS_ORIGINS.1"]);
  });

  it("reads the limits and whose forwarded address to trust", () => {
    const defaults = loadConfig({});
    expect(defaults.limits).toEqual({ signInsPerMinute: 30, writesPerMinute: 120, callsPerMinute: 600, maxBatchSize: 20 });
    expect(defaults.server.trustProxy).toBe(false);
    expect(loadConfig({ RATE_LIMIT_SIGN_IN_PER_MINUTE: "3", TRPC_MAX_BATCH_SIZE: "5" }).limits).toMatchObject({
      signInsPerMinute: 3,
      maxBatchSize: 5,
    });
    expect(loadConfig({ TRUST_PROXY: "true" }).server.trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: "10.0.0.0/8" }).server.trustProxy).toBe("10.0.0.0/8");
    expect(configError({ RATE_LIMIT_CALLS_PER_MINUTE: "0" }).variables).toEqual(["RATE_LIMIT_CALLS_PER_MINUTE"]);
  });

  it("drains a stopping server for 5 s in production and not at all elsewhere, within the shutdown timeout", () => {
    const production = { NODE_ENV: "production", DATABASE_URL: "postgresql://db/daycarat", JWT_SECRET: "x".repeat(32) };
    expect(loadConfig(production).server).toMatchObject({ shutdownDrainMs: 5_000, shutdownTimeoutMs: 10_000 });
    expect(loadConfig({}).server.shutdownDrainMs).toBe(0);
    expect(loadConfig({ NODE_ENV: "test" }).server.shutdownDrainMs).toBe(0);
    expect(loadConfig({ ...production, SHUTDOWN_DRAIN_MS: "0" }).server.shutdownDrainMs).toBe(0);
    expect(loadConfig({ SHUTDOWN_DRAIN_MS: "15000", SHUTDOWN_TIMEOUT_MS: "30000" }).server.shutdownDrainMs).toBe(15_000);
    const tooLong = configError({ ...production, SHUTDOWN_TIMEOUT_MS: "5000" });
    expect(tooLong.variables).toEqual(["SHUTDOWN_DRAIN_MS"]);
    expect(tooLong.message).toContain("SHUTDOWN_DRAIN_MS: (5000 ms) must be less than SHUTDOWN_TIMEOUT_MS (5000 ms)");
    expect(configError({ SHUTDOWN_DRAIN_MS: "-1" }).variables).toEqual(["SHUTDOWN_DRAIN_MS"]);
  });

  it("reads the direct connection and the read replicas, which need the primary's URL", () => {
    const primaryOnly = loadConfig({ DATABASE_URL: "postgresql://pgbouncer:6432/daycarat" });
    expect(primaryOnly.database).toMatchObject({
      directUrl: "postgresql://pgbouncer:6432/daycarat",
      replicaUrls: [],
      replicaMaxLagMs: 5000,
    });
    const scaled = loadConfig({
      DATABASE_URL: "postgresql://pgbouncer:6432/daycarat",
      DATABASE_DIRECT_URL: "postgresql://primary:5432/daycarat",
      DATABASE_REPLICA_URLS: "postgresql://replica-1/daycarat, postgres://replica-2/daycarat,",
      DATABASE_REPLICA_MAX_LAG_MS: "2000",
    });
    expect(scaled.database).toMatchObject({
      url: "postgresql://pgbouncer:6432/daycarat",
      directUrl: "postgresql://primary:5432/daycarat",
      replicaUrls: ["postgresql://replica-1/daycarat", "postgres://replica-2/daycarat"],
      replicaMaxLagMs: 2000,
    });

    const error = configError({
      DATABASE_DIRECT_URL: "postgresql://primary/daycarat",
      DATABASE_REPLICA_URLS: "postgresql://replica-1/daycarat",
    });
    expect(error.message).toContain("DATABASE_DIRECT_URL: needs DATABASE_URL (the primary) too");
    expect(error.message).toContain("DATABASE_REPLICA_URLS: needs DATABASE_URL (the primary) too");
    const invalid = configError({
      DATABASE_URL: "postgresql://primary/daycarat",
      DATABASE_DIRECT_URL: "https://primary",
      DATABASE_REPLICA_URLS: "postgresql://replica-1/daycarat,replica-2",
      DATABASE_REPLICA_MAX_LAG_MS: "-1",
    });
    expect(invalid.variables.sort()).toEqual(["DATABASE_DIRECT_URL", "DATABASE_REPLICA_MAX_LAG_MS", "DATABASE_REPLICA_URLS.1"]);
    expect(invalid.message).toContain("DATABASE_REPLICA_URLS.1: must be postgresql:// URLs, comma-separated");
  });

  it("serves metrics on 9464 and 9465 by default, elsewhere or not at all (0)", () => {
    expect(loadConfig({}).metrics).toEqual({ serverPort: 9464, workerPort: 9465 });
    expect(loadConfig({ METRICS_PORT: "0", WORKER_METRICS_PORT: "19465" }).metrics).toEqual({ serverPort: undefined, workerPort: 19465 });
    expect(configError({ METRICS_PORT: "70000", WORKER_METRICS_PORT: "metrics" }).variables).toEqual([
      "METRICS_PORT",
      "WORKER_METRICS_PORT",
    ]);
  });

  it("reads the models' prices per million tokens, and names what is wrong with them", () => {
    expect(loadConfig({}).ai.pricesPerMillionTokens).toEqual({ "gpt-4o-mini": { input: 0.15, output: 0.6 } });
    const prices = { "gpt-4o": { input: 2.5, output: 10 }, "o3-mini": { input: 1.1, output: 4.4 } };
    expect(loadConfig({ AI_PRICES: JSON.stringify(prices) }).ai.pricesPerMillionTokens).toEqual(prices);
    expect(loadConfig({ AI_PRICES: "{}" }).ai.pricesPerMillionTokens).toEqual({});
    expect(configError({ AI_PRICES: "gpt-4o=2.5" }).message).toContain("AI_PRICES: is not valid JSON");
    expect(configError({ AI_PRICES: '{"gpt-4o":{"input":-1,"output":10}}' }).variables).toEqual(["AI_PRICES.gpt-4o.input"]);
    expect(configError({ AI_PRICES: '{"gpt-4o":{"input":2.5}}' }).variables).toEqual(["AI_PRICES.gpt-4o.output"]);
    expect(configError({ AI_PRICES: '{"gpt-4o":{"input":2.5,"output":10,"cached":1}}' }).variables).toEqual(["AI_PRICES.gpt-4o"]);
  });

  it("runs one server process per available core unless WEB_CONCURRENCY says otherwise", () => {
    expect(loadConfig({}).server.processes).toBe(availableParallelism());
    expect(loadConfig({ WEB_CONCURRENCY: " " }).server.processes).toBe(availableParallelism());
    expect(loadConfig({ WEB_CONCURRENCY: "3" }).server.processes).toBe(3);
    for (const wrong of ["0", "-2", "1.5", "two"]) {
      expect(configError({ WEB_CONCURRENCY: wrong }).message).toContain("WEB_CONCURRENCY: must be a positive whole number");
    }
  });

  it("never enables development sign-in in production", () => {
    const config = loadConfig({
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://db.internal/daycarat",
      JWT_SECRET: "a-production-secret-of-at-least-32-chars",
    });
    expect(config.auth.devSignInEnabled).toBe(false);
    expect(config.auth.jwtSecret).toBe("a-production-secret-of-at-least-32-chars");
  });

  it("reads the Firebase service account as JSON or from a file, and names what is wrong with it", () => {
    const account = {
      type: "service_account",
      project_id: "daycarat",
      client_email: "push@daycarat.iam",
      private_key: "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n",
    };
    expect(loadConfig({ FIREBASE_SERVICE_ACCOUNT: JSON.stringify(account) }).firebase.serviceAccount).toMatchObject(account);

    const file = path.join(mkdtempSync(path.join(tmpdir(), "daycarat-config-")), "service-account.json");
    writeFileSync(file, JSON.stringify(account));
    expect(loadConfig({ FIREBASE_SERVICE_ACCOUNT: file }).firebase.serviceAccount?.project_id).toBe("daycarat");
    expect(loadConfig({}).firebase.serviceAccount).toBeUndefined();

    const problems = (value: string) => configError({ FIREBASE_SERVICE_ACCOUNT: value }).message;
    expect(problems("/nowhere/service-account.json")).toContain("FIREBASE_SERVICE_ACCOUNT: is neither JSON nor a readable file");
    expect(problems("{not json")).toContain("FIREBASE_SERVICE_ACCOUNT: is not valid JSON");
    const withoutKey = problems(JSON.stringify({ ...account, private_key: "secret-value" }));
    expect(withoutKey).toContain("is not a service account key (private_key)");
    expect(withoutKey).not.toContain("secret-value");
  });
});
