export { describeProcessSettings, machineBusyCpuMs, machineFacts, runBenchmark } from "./benchmark.ts";
export { cpuMsByProcess, cpuSpent, processTree, treeCpuMs, type CpuSpent } from "./process-cpu.ts";
export { createCleanupStack, type CleanupReports, type CleanupStack } from "./cleanup.ts";
export {
  freshDatabase,
  provideThrowawayPostgres,
  removeDataDir,
  withDatabaseName,
  type FreshDatabaseOptions,
  type PostgresServer,
} from "./postgres.ts";
export { startReplicatedPostgres, type PostgresNode, type ReplicatedPostgres, type ReplicatedPostgresOptions } from "./replica.ts";
export { startPgBouncer, type PgBouncer, type PgBouncerOptions } from "./pgbouncer.ts";
export {
  hasExited,
  startNodeProcess,
  stopProcess,
  waitForStatus,
  waitUntil,
  type NodeProcess,
  type NodeProcessOptions,
  type ProcessExit,
  type WaitOptions,
} from "./processes.ts";
export { METRICS_OFF, startServerProcess, startWorkerProcess, UNREACHED_RATE_LIMITS } from "./services.ts";
export { choiceListSetting, integerListSetting, integerSetting } from "./settings.ts";
export { default as freePort } from "get-port";
export { listenLocalServer, sendJson, type LocalServer, type RequestHandler } from "./local-server.ts";
export { listenFakeOpenAI, type ChatRequest, type FakeOpenAI, type ModelReply, type ModelScript } from "./fake-openai.ts";
export { listenFakeFcm, type FakeFcm, type FcmErrorCode, type ReceivedFcmMessage } from "./fake-fcm.ts";
export { FAKE_SLACK_BOT_TOKEN, listenFakeSlack, type FakeSlack, type SlackApiCall } from "./fake-slack.ts";
export { listenOtlpReceiver, type OtlpReceiver, type ReceivedSpan, type SpanKindName } from "./otlp-receiver.ts";
export { KAKAO_OUTAGE_TOKEN, listenFakeKakao } from "./fake-kakao.ts";
export {
  createAppleKey,
  listenFakeAppleJwks,
  signIdentityToken,
  type AppleSigningKey,
  type FakeAppleJwks,
  type IdentityTokenClaims,
} from "./fake-apple.ts";
