import {
  listenFakeAppleJwks,
  listenFakeFcm,
  listenFakeKakao,
  listenFakeOpenAI,
  listenFakeSlack,
  listenLocalServer,
  listenOtlpReceiver,
  type FakeAppleJwks,
  type FakeFcm,
  type FakeOpenAI,
  type FakeSlack,
  type LocalServer,
  type ModelScript,
  type OtlpReceiver,
  type RequestHandler,
} from "@daycarat/devkit";
import { cleanUpAfter } from "./after.ts";

// The stand-in servers as tests use them: closed after the test (or the file's tests).

async function closedAfterTests<Server extends LocalServer>(listening: Promise<Server>): Promise<Server> {
  const server = await listening;
  cleanUpAfter(() => server.close());
  return server;
}

/** An HTTP server on a free loopback port, standing in for an outside API. */
export const startLocalServer = (handle: RequestHandler): Promise<LocalServer> => closedAfterTests(listenLocalServer(handle));

/** The stand-in OpenAI server of `listenFakeOpenAI`. */
export const startFakeOpenAI = (script: ModelScript): Promise<FakeOpenAI> => closedAfterTests(listenFakeOpenAI(script));

/** The stand-in FCM (and Google OAuth) server of `listenFakeFcm`. */
export const startFakeFcm = (): Promise<FakeFcm> => closedAfterTests(listenFakeFcm());

/** The stand-in Slack (incoming webhook and Web API) of `listenFakeSlack`. */
export const startFakeSlack = (): Promise<FakeSlack> => closedAfterTests(listenFakeSlack());

/** The stand-in Kakao user-info API of `listenFakeKakao`. */
export const startFakeKakao = (users: Record<string, unknown>): Promise<LocalServer> => closedAfterTests(listenFakeKakao(users));

/** The stand-in Apple key set of `listenFakeAppleJwks`. */
export const startFakeAppleJwks = (): Promise<FakeAppleJwks> => closedAfterTests(listenFakeAppleJwks());

/** The stand-in OpenTelemetry collector of `listenOtlpReceiver`. */
export const startOtlpReceiver = (): Promise<OtlpReceiver> => closedAfterTests(listenOtlpReceiver());
