// Notification throughput against a local FCM stand-in (the wire protocol firebase-admin
// speaks, served in this process). Two parts, each on a fresh database with real worker
// processes of its own:
//   personal — 10,000 users with 2 devices each get one personal notification apiece
//     (`notification.personal` jobs enqueued in bulk); timed from the first enqueue until
//     all 20,000 deliveries are SENT: pushes and inbox entries per second, enqueue→SENT
//     percentiles, cross-checked against what the stand-in received.
//   notice — 100,000 registered devices: (a) the notices-topic sync subscribes them all
//     against a stand-in answering each topic request after 30 ms (devices per second, each
//     exactly once), (b) one notice created through the domain's createNotice
//     until it is SENT as exactly one topic message reaching the whole topic.
// Exits non-zero when any push did not arrive (a delivery not SENT, a device not subscribed,
// the notice not SENT as one topic message), a worker died, or a part ran out of time.
// See BENCHMARKS.md.
//
//   pnpm bench:notifications            (from the repository root)
//
// Knobs (defaults are the documented benchmark): BENCH_USERS (10000; 2 devices each),
// BENCH_NOTICE_DEVICES (100000, 2 per user), BENCH_WORKERS (worker processes, 1),
// BENCH_FCM_LATENCY_MS (the stand-in's delay per send in the personal part, 0),
// BENCH_TOPIC_LATENCY_MS (its delay per request in the notice part, 30), BENCH_PARTS ("personal,notice"),
// BENCH_TIMEOUT_SECONDS (per measured step, 1800). DATABASE_URL: a Postgres server to use
// (the benchmark creates and drops databases of its own there) instead of an embedded one.
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { createDatabaseClient, type DatabaseClient } from "@daycarat/db";
import { createNotice } from "@daycarat/domain";
import { startJobQueue, syncNoticeTopicJob, type JobQueue } from "@daycarat/jobs";
import { createLogger } from "@daycarat/logger";
import { NOTICES_TOPIC } from "@daycarat/push";
import {
  choiceListSetting,
  createCleanupStack,
  freshDatabase,
  integerSetting,
  listenFakeFcm,
  machineBusyCpuMs,
  machineFacts,
  treeCpuMs,
  provideThrowawayPostgres,
  runBenchmark,
  startWorkerProcess,
  type FakeFcm,
  type PostgresServer,
} from "@daycarat/devkit";
import { latencyFigures, printHeading } from "./report.ts";
import {
  PERSONAL_DEDUPE_KEY,
  deliveryTimes,
  enqueuePersonalNotifications,
  personalJobTimes,
  pollUntil,
  seedPushUsers,
  waitForDeliveries,
  warmUp,
  type JobTimes,
} from "./notifications-workload.ts";

const DEVICES_PER_USER = 2;
const PROGRESS_EVERY_MS = 15_000;
/** After the notice is SENT, how long a second topic message would have to show up. */
const DUPLICATE_WATCH_MS = 2_000;

const settings = {
  users: integerSetting("BENCH_USERS", 10_000),
  noticeDevices: integerSetting("BENCH_NOTICE_DEVICES", 100_000),
  workers: integerSetting("BENCH_WORKERS", 1),
  fcmLatencyMs: integerSetting("BENCH_FCM_LATENCY_MS", 0, 0),
  topicLatencyMs: integerSetting("BENCH_TOPIC_LATENCY_MS", 30, 0),
  parts: choiceListSetting("BENCH_PARTS", ["personal", "notice"]),
  timeoutMs: integerSetting("BENCH_TIMEOUT_SECONDS", 1800) * 1000,
};

const WORKER_MAIN = fileURLToPath(import.meta.resolve("@daycarat/worker/main"));
const cleanups = createCleanupStack();
const logger = createLogger({ service: "benchmark", level: "warn", pretty: false });

interface PersonalFigures {
  users: number;
  expected: number;
  sent: number;
  failed: number;
  /** Deliveries neither SENT nor FAILED when the run gave up. */
  unsettled: number;
  /** Token messages the stand-in accepted during the part. */
  fcmReceived: number;
  enqueueMs: number;
  /** From the first enqueue to the last delivery SENT. */
  totalMs: number;
  /** From the first enqueue to the last inbox entry written. */
  entriesMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Time in the handler per job, and jobs that ran more than once. */
  job: JobTimes;
  /** CPU time the workers used from the first enqueue to the last push SENT (and the poll that saw it). */
  workerCpuMs: number;
  /** Every core's busy time meanwhile: workers, Postgres, the stand-in and this process together. */
  machineCpuMs: number;
  workerDied: boolean;
}

interface NoticeFigures {
  devices: number;
  subscribed: number;
  topicSize: number;
  /** HTTP requests the stand-in received for topic (un)subscriptions during the sync. */
  topicCalls: number;
  subscribeMs: number;
  /** CPU time the workers used while subscribing. */
  subscribeCpuMs: number;
  noticeStatus: string;
  createToSentMs: number;
  topicMessages: number;
  workerDied: boolean;
}

const seconds = (milliseconds: number) => (milliseconds / 1000).toFixed(2);
const perSecond = (count: number, milliseconds: number) => (milliseconds > 0 ? (count / (milliseconds / 1000)).toFixed(0) : "–");

function describeRun(postgres: PostgresServer): void {
  console.log(
    `machine: ${machineFacts()}; Postgres ${postgres.description}; ` +
      "worker(s), Postgres, the FCM stand-in and the load generator share the machine",
  );
  const parts = {
    personal: `personal — ${settings.users} users × ${DEVICES_PER_USER} devices, one notification each`,
    notice: `notice — ${settings.noticeDevices} devices subscribed to "${NOTICES_TOPIC}", then one notice`,
  };
  console.log(
    `workload: ${settings.parts.map((part) => parts[part]).join("; ")}; ${settings.workers} worker process(es); ` +
      `the FCM stand-in answers each personal send after ${settings.fcmLatencyMs} ms, each topic request after ${settings.topicLatencyMs} ms`,
  );
}

interface System {
  databaseUrl: string;
  db: DatabaseClient;
  /** Enqueue-only, like the server's. */
  jobs: JobQueue;
  fcm: FakeFcm;
}

/** A fresh database, the FCM stand-in and an enqueueing job queue; undone by the part's clean-up. */
async function startSystem(postgres: PostgresServer, databaseName: string, fcmLatencyMs: number): Promise<System> {
  const database = await freshDatabase(postgres.url, databaseName, { migrateWith: logger });
  cleanups.push(() => database.drop());
  const db = createDatabaseClient(database.url, { maxConnections: 4 });
  cleanups.push(() => db.$disconnect());
  const fcm = await listenFakeFcm();
  cleanups.push(() => fcm.close());
  fcm.setLatencyMs(fcmLatencyMs);
  const jobs = await startJobQueue({ databaseUrl: database.url, runsMaintenance: false, logger, maxConnections: 2 });
  cleanups.push(() => jobs.stop({ graceful: false }));
  return { databaseUrl: database.url, db, jobs, fcm };
}

interface Workers {
  /** False once any worker exited. */
  keepWaiting: () => boolean;
  /** CPU time (ms) the workers used so far, together. */
  cpuMs: () => number;
}

/** BENCH_WORKERS real worker processes sending to the stand-in. */
function startWorkers({ databaseUrl, fcm }: System): Workers {
  const env = {
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    LOG_FORMAT: "json",
    DATABASE_URL: databaseUrl,
    FIREBASE_SERVICE_ACCOUNT: fcm.serviceAccountJson,
    FCM_STAND_IN_URL: fcm.url,
  };
  const workers = Array.from({ length: settings.workers }, () => {
    const worker = startWorkerProcess(WORKER_MAIN, env);
    cleanups.push(() => worker.stop());
    return worker;
  });
  return {
    keepWaiting: () => workers.every((worker) => !worker.hasExited()),
    cpuMs: () => workers.reduce((total, worker) => total + treeCpuMs(worker.child.pid ?? 0), 0),
  };
}

/** A progress line at most every PROGRESS_EVERY_MS, so a long part shows it is alive. */
function progressReporter(startedAt: number, describe: () => string): () => void {
  let lastReport = startedAt;
  return () => {
    const now = Date.now();
    if (now - lastReport < PROGRESS_EVERY_MS) return;
    lastReport = now;
    console.log(`  … ${describe()} after ${seconds(now - startedAt)} s`);
  };
}

async function runPersonal(postgres: PostgresServer): Promise<PersonalFigures> {
  const depth = cleanups.depth();
  try {
    printHeading(`personal notifications: ${settings.users} users × ${DEVICES_PER_USER} devices`);
    const system = await startSystem(postgres, "daycarat_bench_notifications_personal", settings.fcmLatencyMs);
    const { db, jobs, fcm } = system;
    const userIds = await seedPushUsers(db, {
      users: settings.users,
      devices: settings.users * DEVICES_PER_USER,
      prefix: "벤치",
      // Quiet hours off: every push is due at once, whatever the time of the run.
      preferences: { quietHoursEnabled: false },
    });
    const { keepWaiting, cpuMs } = startWorkers(system);
    await warmUp(db, jobs, keepWaiting);
    const cpuBefore = cpuMs();
    const machineCpuBefore = machineBusyCpuMs();
    console.log(`warmed up; ${userIds.length} users and ${userIds.length * DEVICES_PER_USER} devices seeded; enqueueing…`);

    const expected = userIds.length * DEVICES_PER_USER;
    const receivedBefore = fcm.delivered.length;
    const enqueued = await enqueuePersonalNotifications(jobs, userIds, PERSONAL_DEDUPE_KEY);
    console.log(`${userIds.length} jobs enqueued in ${seconds(enqueued.durationMs)} s; waiting for ${expected} pushes…`);
    let latest = { sent: 0 };
    const report = progressReporter(enqueued.firstEnqueueAt, () => `${latest.sent}/${expected} pushes sent`);
    const counts = await waitForDeliveries(db, PERSONAL_DEDUPE_KEY, expected, {
      deadline: enqueued.firstEnqueueAt + settings.timeoutMs,
      keepWaiting,
      received: () => fcm.delivered.length - receivedBefore,
      onProgress: (now) => {
        latest = now;
        report();
      },
    });
    const workerCpuMs = cpuMs() - cpuBefore;
    const machineCpuMs = machineBusyCpuMs() - machineCpuBefore;
    const times = await deliveryTimes(db, PERSONAL_DEDUPE_KEY, enqueued.enqueuedAt);
    return {
      workerCpuMs,
      machineCpuMs,
      users: userIds.length,
      expected,
      sent: counts.sent,
      failed: counts.failed,
      unsettled: expected - counts.sent - counts.failed,
      fcmReceived: fcm.delivered.length - receivedBefore,
      enqueueMs: enqueued.durationMs,
      totalMs: times.lastSentAt > 0 ? times.lastSentAt - enqueued.firstEnqueueAt : 0,
      entriesMs: times.lastEntryAt > 0 ? times.lastEntryAt - enqueued.firstEnqueueAt : 0,
      ...latencyFigures(times.latencies),
      job: await personalJobTimes(db, PERSONAL_DEDUPE_KEY),
      workerDied: !keepWaiting(),
    };
  } finally {
    await cleanups.run(depth);
  }
}

const topicMessages = (fcm: FakeFcm) => fcm.delivered.filter((message) => message.topic === NOTICES_TOPIC).length;
const topicSize = (fcm: FakeFcm) => fcm.topics.get(NOTICES_TOPIC)?.size ?? 0;

/** (a) Enqueues the topic sync and waits until every device is subscribed, in the database and at FCM. */
async function measureSubscription(system: System, devices: number, { keepWaiting, cpuMs }: Workers) {
  const { db, jobs, fcm } = system;
  const cpuBefore = cpuMs();
  const subscribedBefore = await db.device.count({ where: { topicSubscribedAt: { not: null } } });
  if (subscribedBefore > 0) console.warn(`note: ${subscribedBefore} devices were subscribed before the sync was enqueued (a cron pass)`);
  const callsBefore = fcm.topicRequests.length;
  const startedAt = Date.now();
  await jobs.enqueueAlone(syncNoticeTopicJob, {});
  let subscribed = 0;
  const report = progressReporter(startedAt, () => `${subscribed}/${devices} devices subscribed`);
  await pollUntil(
    async () => {
      subscribed = await db.device.count({ where: { topicSubscribedAt: { not: null } } });
      report();
      return subscribed >= devices && topicSize(fcm) >= devices ? true : undefined;
    },
    { deadline: startedAt + settings.timeoutMs, keepWaiting },
  );
  const subscribeCpuMs = cpuMs() - cpuBefore;
  const last = await db.device.aggregate({ _max: { topicSubscribedAt: true } });
  const lastAt = last._max.topicSubscribedAt?.getTime();
  return {
    subscribed,
    topicSize: topicSize(fcm),
    topicCalls: fcm.topicRequests.length - callsBefore,
    subscribeMs: lastAt === undefined ? 0 : lastAt - startedAt,
    subscribeCpuMs,
  };
}

/** (b) Creates a notice to publish at once and waits until it is SENT (or FAILED). */
async function measureNotice(system: System, authorId: string, keepWaiting: () => boolean) {
  const { db, jobs, fcm } = system;
  const messagesBefore = topicMessages(fcm);
  const createdAt = Date.now();
  const notice = await createNotice(
    { db, jobs },
    {
      title: "서비스 점검 안내",
      body: "11월 30일 새벽 2시부터 4시까지 서비스 점검이 있어요. 점검 중에는 앱을 사용할 수 없어요.",
      push: true,
      author: { source: "API", userId: authorId },
    },
  );
  const settled = await pollUntil(
    async () => {
      const row = await db.notice.findUnique({ where: { id: notice.id }, select: { status: true, sentAt: true, failureReason: true } });
      return row && ["SENT", "FAILED"].includes(row.status) ? row : undefined;
    },
    { deadline: createdAt + settings.timeoutMs, keepWaiting },
  );
  if (settled?.failureReason) console.error(`FAILED the notice: ${settled.failureReason}`);
  // A duplicate topic message (a redelivered job) would arrive shortly after the first.
  if (settled?.status === "SENT") await sleep(DUPLICATE_WATCH_MS);
  return {
    noticeStatus: settled?.status ?? "not settled",
    createToSentMs: settled?.status === "SENT" && settled.sentAt ? settled.sentAt.getTime() - createdAt : 0,
    topicMessages: topicMessages(fcm) - messagesBefore,
  };
}

async function runNotice(postgres: PostgresServer): Promise<NoticeFigures> {
  const depth = cleanups.depth();
  try {
    printHeading(`a notice to ${settings.noticeDevices} devices, topic subscription included`);
    const system = await startSystem(postgres, "daycarat_bench_notifications_notice", settings.topicLatencyMs);
    const devices = settings.noticeDevices;
    await seedPushUsers(system.db, { users: Math.ceil(devices / DEVICES_PER_USER), devices, prefix: "공지" });
    const author = await system.db.user.create({ data: { nickname: "벤치 관리자", role: "ADMIN" }, select: { id: true } });
    const workers = startWorkers(system);
    const { keepWaiting } = workers;
    await warmUp(system.db, system.jobs, keepWaiting);
    console.log(`warmed up; ${devices} devices seeded, none on the topic; syncing the topic…`);

    const subscription = await measureSubscription(system, devices, workers);
    console.log(
      `${subscription.subscribed}/${devices} devices subscribed in ${seconds(subscription.subscribeMs)} s ` +
        `(${subscription.topicCalls} topic calls at the stand-in); creating the notice…`,
    );
    const notice = await measureNotice(system, author.id, keepWaiting);
    return { devices, ...subscription, ...notice, topicSize: topicSize(system.fcm), workerDied: !keepWaiting() };
  } finally {
    await cleanups.run(depth);
  }
}

function personalFailures(figures: PersonalFigures): string[] {
  const failures: string[] = [];
  if (figures.workerDied) failures.push("a worker exited during the run");
  if (figures.sent < figures.expected) {
    failures.push(
      `${figures.expected - figures.sent} of ${figures.expected} pushes were not SENT (${figures.failed} FAILED, ${figures.unsettled} unsettled)`,
    );
  }
  if (figures.fcmReceived !== figures.sent)
    failures.push(`the stand-in received ${figures.fcmReceived} pushes, the database says ${figures.sent} SENT`);
  return failures;
}

function noticeFailures(figures: NoticeFigures): string[] {
  const failures: string[] = [];
  if (figures.workerDied) failures.push("a worker exited during the run");
  if (figures.subscribed < figures.devices || figures.topicSize < figures.devices) {
    failures.push(`${figures.subscribed} devices marked subscribed and ${figures.topicSize} on the topic, of ${figures.devices}`);
  }
  // One request per token: more means a device was subscribed twice (drains or workers overlapping).
  if (figures.topicCalls > figures.devices) failures.push(`${figures.topicCalls} topic requests for ${figures.devices} devices`);
  if (figures.noticeStatus !== "SENT") failures.push(`the notice ended ${figures.noticeStatus}`);
  if (figures.topicMessages !== 1) failures.push(`the stand-in received ${figures.topicMessages} topic messages, not 1`);
  return failures;
}

function printPersonal(figures: PersonalFigures): void {
  console.log(
    "| workers | users | devices | pushes SENT | failed | stand-in received | enqueue s | total s | pushes/s | inbox entries/s " +
      "| enqueue→SENT p50 s | p95 s | max s | job p50 ms | job p95 ms | jobs retried | worker CPU s | worker CPU ms/job | machine CPU s |",
  );
  console.log(
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  const cells = [
    settings.workers,
    figures.users,
    figures.expected,
    figures.sent,
    figures.failed + figures.unsettled,
    figures.fcmReceived,
    seconds(figures.enqueueMs),
    seconds(figures.totalMs),
    perSecond(figures.sent, figures.totalMs),
    perSecond(figures.users, figures.entriesMs),
    seconds(figures.p50Ms),
    seconds(figures.p95Ms),
    seconds(figures.maxMs),
    figures.job.p50Ms.toFixed(0),
    figures.job.p95Ms.toFixed(0),
    figures.job.retried,
    seconds(figures.workerCpuMs),
    (figures.workerCpuMs / figures.users).toFixed(2),
    seconds(figures.machineCpuMs),
  ];
  console.log(`| ${cells.join(" | ")} |`);
}

function printNotice(figures: NoticeFigures): void {
  console.log(
    "| workers | devices | subscribed | subscribe s | devices/s | topic requests | worker CPU s | notice | create→SENT s | topic messages | devices reached |",
  );
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |");
  const cells = [
    settings.workers,
    figures.devices,
    figures.subscribed,
    seconds(figures.subscribeMs),
    perSecond(figures.subscribed, figures.subscribeMs),
    figures.topicCalls,
    seconds(figures.subscribeCpuMs),
    figures.noticeStatus,
    seconds(figures.createToSentMs),
    figures.topicMessages,
    figures.topicSize,
  ];
  console.log(`| ${cells.join(" | ")} |`);
}

async function main(): Promise<number> {
  const postgres = await provideThrowawayPostgres(process.env.DATABASE_URL, logger);
  cleanups.push(() => postgres.dispose());
  describeRun(postgres);

  const personal = settings.parts.includes("personal") ? await runPersonal(postgres) : undefined;
  const notice = settings.parts.includes("notice") ? await runNotice(postgres) : undefined;

  printHeading("results");
  const failures: string[] = [];
  if (personal) {
    printPersonal(personal);
    failures.push(...personalFailures(personal));
  }
  if (notice) {
    if (personal) console.log("");
    printNotice(notice);
    failures.push(...noticeFailures(notice));
  }
  for (const failure of failures) console.error(`FAILED ${failure}`);
  return failures.length > 0 ? 1 : 0;
}

await runBenchmark(main, () => cleanups.run());
