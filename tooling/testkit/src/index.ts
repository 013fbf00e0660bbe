// The test harness: the vitest layer over @daycarat/devkit (databases of the run's Postgres,
// processes and stand-ins closed after the test or the file's tests, captured logs).
export { cleanUpAfter } from "./after.ts";
export { createEmptyDatabase, createTestDatabase, databaseUrlFor, type TestDatabase } from "./database.ts";
export { captureLogs, errorLines, type CapturedLogs } from "./logs.ts";
export { expectFieldRefused, refusalCode } from "./refusals.ts";
export { startProcess, waitFor, waitForStatus, type RunningProcess } from "./processes.ts";
export {
  startFakeAppleJwks,
  startFakeFcm,
  startFakeKakao,
  startFakeOpenAI,
  startFakeSlack,
  startLocalServer,
  startOtlpReceiver,
} from "./test-servers.ts";
export {
  createAppleKey,
  FAKE_SLACK_BOT_TOKEN,
  freePort,
  KAKAO_OUTAGE_TOKEN,
  listenFakeFcm,
  listenFakeOpenAI,
  listenFakeSlack,
  listenLocalServer,
  sendJson,
  signIdentityToken,
  startServerProcess,
  startWorkerProcess,
  type AppleSigningKey,
  type ChatRequest,
  type FakeFcm,
  type FakeOpenAI,
  type FakeSlack,
  type FcmErrorCode,
  type LocalServer,
  type ModelReply,
  type OtlpReceiver,
  type ModelScript,
  type ReceivedFcmMessage,
  type ReceivedSpan,
  type RequestHandler,
  type SlackApiCall,
} from "@daycarat/devkit";
export { scrapeMetrics, type Scrape } from "./metrics.ts";
