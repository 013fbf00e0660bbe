export { createEmptyDatabase, createTestDatabase, databaseUrlFor, type TestDatabase } from "./database.ts";
export { captureLogs, type CapturedLogs } from "./logs.ts";
