import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { SignJWT } from "jose";
import { afterAll } from "vitest";
import { startNotificationFeed, startRevocationList } from "@daycarat/api";
import { createDayCaratClient, memoryTokenStore, type DayCaratClient, type TokenStore } from "@daycarat/client";
import { loadConfig } from "@daycarat/config";
import { startReadRouting, type DatabaseClient } from "@daycarat/db";
import { startJobQueue } from "@daycarat/jobs";
import { UNREACHED_RATE_LIMITS } from "@daycarat/devkit";
import { captureLogs, createTestDatabase, type CapturedLogs } from "@daycarat/testkit";
import { buildServer } from "../src/app.ts";

export interface TestServer {
  app: FastifyInstance;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  logs: CapturedLogs;
}

const CLOSE_GRACE_MS = 5_000;

/**
 * Closes the server; connections still open after `graceMs` are cut, with a warning. A keep-alive
 * connection whose reply began before the close can hold `app.close()` for the
 * keep-alive timeout (72 s), past the hook's limit. The production stop, which drains first, is
 * what apps/server/test/stopping.test.ts and the launcher's tests prove.
 */
async function closeWithin(app: FastifyInstance, graceMs: number): Promise<void> {
  const cut = setTimeout(() => {
    app.server.getConnections((_error, count) => {
      console.warn(`the test server had not closed after ${graceMs} ms: cutting its ${count} open connection(s)`);
      app.server.closeAllConnections();
    });
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(cut);
  }
}

/** The real server on a free loopback port, logging to memory; closed after the file's tests. */
export async function startTestServer(db: DatabaseClient, databaseUrl: string, env: NodeJS.ProcessEnv = {}): Promise<TestServer> {
  const config = loadConfig({ NODE_ENV: "test", ...UNREACHED_RATE_LIMITS, ...env });
  const logs = captureLogs("server", "info");
  const jobs = await startJobQueue({ databaseUrl, runsMaintenance: false, logger: logs.logger, maxConnections: 2 });
  const notificationFeed = await startNotificationFeed(databaseUrl, logs.logger);
  const revocations = await startRevocationList({ db, databaseUrl, recheckMs: config.auth.revocationRecheckMs, logger: logs.logger });
  const { replicaUrls, replicaMaxLagMs: maxLagMs } = config.database;
  const reads = startReadRouting({ primary: db, replicaUrls, maxLagMs, poolSize: 2, logger: logs.logger });
  const app = await buildServer({ config, logger: logs.logger, db, reads, jobs, notificationFeed, revocations });
  await app.listen({ host: "127.0.0.1", port: 0 });
  afterAll(async () => {
    await closeWithin(app, CLOSE_GRACE_MS);
    await jobs.stop({ graceful: false });
    await reads.close();
  });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, logs };
}

export interface TestTokenClaims {
  sub: string;
  sid?: string;
  /** Seconds since the epoch; `null` leaves the claim out. */
  iat?: number | null;
  exp?: number | null;
}

/** An access token signed with the test server's secret, with the claims given (the API's by default). */
export function signTestAccessToken(claims: TestTokenClaims): Promise<string> {
  const secret = new TextEncoder().encode(loadConfig({ NODE_ENV: "test" }).auth.jwtSecret);
  const now = Math.floor(Date.now() / 1000);
  const token = new SignJWT({ role: "USER", sid: claims.sid ?? randomUUID() })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.sub)
    .setIssuer("daycarat")
    .setAudience("daycarat-api");
  const iat = claims.iat === undefined ? now : claims.iat;
  const exp = claims.exp === undefined ? now + 15 * 60 : claims.exp;
  if (iat !== null) token.setIssuedAt(iat);
  if (exp !== null) token.setExpirationTime(exp);
  return token.sign(secret);
}

/** An access token for the user that expired a minute ago, signed with the test server's secret. */
export function expiredAccessToken(userId: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signTestAccessToken({ sub: userId, iat: now - 15 * 60 - 60, exp: now - 60 });
}

export interface SignedInUser {
  client: DayCaratClient;
  tokens: TokenStore;
  userId: string;
}

export interface TestApi extends TestServer {
  db: DatabaseClient;
  databaseUrl: string;
  /** A client with no session. */
  anonymous(): DayCaratClient;
  /** A client signed in (development sign-in) as a user of that email, created on first use. */
  signIn(email: string, nickname?: string): Promise<SignedInUser>;
  /** Like `signIn`, as a user with the ADMIN role (granted as `pnpm admin grant` does). */
  signInAdmin(email: string): Promise<SignedInUser>;
}

/** A database of the file's own and the real server on it, reached through the real client. */
export async function startTestApi(env: NodeJS.ProcessEnv = {}): Promise<TestApi> {
  const { db, url: databaseUrl } = await createTestDatabase();
  const server = await startTestServer(db, databaseUrl, env);
  const clientFor = (tokens: TokenStore) => createDayCaratClient({ url: server.url, tokens });
  const signIn = async (email: string, nickname?: string): Promise<SignedInUser> => {
    const tokens = memoryTokenStore();
    const client = clientFor(tokens);
    const session = await client.auth.dev.mutate({ email, nickname });
    return { client, tokens, userId: session.user.id };
  };
  return {
    ...server,
    db,
    databaseUrl,
    anonymous: () => clientFor(memoryTokenStore()),
    signIn,
    signInAdmin: async (email) => {
      const { userId } = await signIn(email);
      await db.user.update({ where: { id: userId }, data: { role: "ADMIN" } });
      // Signed in again, so that the access token carries the role too.
      return signIn(email);
    },
  };
}
