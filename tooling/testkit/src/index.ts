// The test harness: the vitest layer over @daycarat/devkit (databases of the run's Postgres,
// processes and stand-ins closed after the file's tests, captured logs).
export { createEmptyDatabase, createTestDatabase, databaseUrlFor, type TestDatabase } from "./database.ts";
export { captureLogs, type CapturedLogs } from "./logs.ts";
export { startProcess, waitFor, waitForStatus, type RunningProcess } from "./processes.ts";
export { startFakeFcm, startFakeOpenAI, startFakeSlack, startLocalServer } from "./test-servers.ts";
export {
  FAKE_SLACK_BOT_TOKEN,
  freePort,
  listenFakeFcm,
  listenFakeOpenAI,
  listenFakeSlack,
  listenLocalServer,
  sendJson,
  startServerProcess,
  startWorkerProcess,
  type ChatRequest,
  type FakeFcm,
  type FakeOpenAI,
  type FakeSlack,
  type FcmErrorCode,
  type LocalServer,
  type ModelReply,
  type ModelScript,
  type ReceivedFcmMessage,
  type RequestHandler,
  type SlackApiCall,
} from "@daycarat/devkit";
