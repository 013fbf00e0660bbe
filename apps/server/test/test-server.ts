import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterAll } from "vitest";
import { loadConfig } from "@daycarat/config";
import type { DatabaseClient } from "@daycarat/db";
import { captureLogs, type CapturedLogs } from "@daycarat/testkit";
import { buildServer } from "../src/app.ts";

export interface TestServer {
  app: FastifyInstance;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  logs: CapturedLogs;
}

/** The real server on a free loopback port, logging to memory; closed after the file's tests. */
export async function startTestServer(db: DatabaseClient, env: NodeJS.ProcessEnv = {}): Promise<TestServer> {
  const config = loadConfig({ NODE_ENV: "test", ...env });
  const logs = captureLogs("server", "info");
  const app = await buildServer({ config, logger: logs.logger, db });
  await app.listen({ host: "127.0.0.1", port: 0 });
  afterAll(() => app.close());
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, logs };
}
