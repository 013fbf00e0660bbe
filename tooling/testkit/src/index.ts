export { createEmptyDatabase, createTestDatabase, databaseUrlFor, type TestDatabase } from "./database.ts";
export { captureLogs, type CapturedLogs } from "./logs.ts";
export { startProcess, waitFor, waitForStatus, type RunningProcess } from "./processes.ts";
export { default as freePort } from "get-port";
export { listenLocalServer, sendJson, type LocalServer, type RequestHandler } from "./local-server.ts";
export { listenFakeOpenAI, type ChatRequest, type FakeOpenAI, type ModelReply, type ModelScript } from "./fake-openai.ts";
export { listenFakeFcm, type FakeFcm, type FcmErrorCode, type ReceivedFcmMessage } from "./fake-fcm.ts";
export { FAKE_SLACK_BOT_TOKEN, listenFakeSlack, type FakeSlack, type SlackApiCall } from "./fake-slack.ts";
export { startFakeFcm, startFakeOpenAI, startFakeSlack, startLocalServer } from "./test-servers.ts";
