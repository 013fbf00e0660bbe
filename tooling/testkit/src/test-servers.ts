import { afterAll } from "vitest";
import {
  listenFakeFcm,
  listenFakeOpenAI,
  listenFakeSlack,
  listenLocalServer,
  type FakeFcm,
  type FakeOpenAI,
  type FakeSlack,
  type LocalServer,
  type ModelScript,
  type RequestHandler,
} from "@daycarat/devkit";

// The stand-in servers as tests use them: closed after the file's tests.

/** An HTTP server on a free loopback port, standing in for an outside API; closed after the file's tests. */
export async function startLocalServer(handle: RequestHandler): Promise<LocalServer> {
  const server = await listenLocalServer(handle);
  afterAll(() => server.close());
  return server;
}

/** The stand-in OpenAI server of `listenFakeOpenAI`; closed after the file's tests. */
export async function startFakeOpenAI(script: ModelScript): Promise<FakeOpenAI> {
  const server = await listenFakeOpenAI(script);
  afterAll(() => server.close());
  return server;
}

/** The stand-in FCM (and Google OAuth) server of `listenFakeFcm`; closed after the file's tests. */
export async function startFakeFcm(): Promise<FakeFcm> {
  const server = await listenFakeFcm();
  afterAll(() => server.close());
  return server;
}

/** The stand-in Slack (incoming webhook and Web API) of `listenFakeSlack`; closed after the file's tests. */
export async function startFakeSlack(): Promise<FakeSlack> {
  const server = await listenFakeSlack();
  afterAll(() => server.close());
  return server;
}
