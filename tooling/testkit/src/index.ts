export { createEmptyDatabase, createTestDatabase, databaseUrlFor, type TestDatabase } from "./database.ts";
export { captureLogs, type CapturedLogs } from "./logs.ts";
export { startProcess, waitFor, waitForStatus, type RunningProcess } from "./processes.ts";
export { default as freePort } from "get-port";
export { sendJson, startLocalServer, type LocalServer } from "./local-server.ts";
export { startFakeOpenAI, type ChatRequest, type FakeOpenAI, type ModelReply } from "./fake-openai.ts";
