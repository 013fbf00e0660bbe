import { fileURLToPath } from "node:url";
import { createDatabaseClient, ensureDatabase, withConnection, type DatabaseClient } from "@daycarat/db";
import {
  createCleanupStack,
  listenFakeFcm,
  listenFakeOpenAI,
  METRICS_OFF,
  startNodeProcess,
  startPgBouncer,
  startReplicatedPostgres,
  startServerProcess,
  UNREACHED_RATE_LIMITS,
  waitUntil,
  type CleanupStack,
  type NodeProcess,
  type ReplicatedPostgres,
} from "@daycarat/devkit";
import { createLogger } from "@daycarat/logger";
import { cleanUpAfter, type FakeFcm } from "@daycarat/testkit";

// The deployment in miniature: a primary and its streaming replica, PgBouncer in transaction
// mode before the primary, two API servers and two workers as real processes, with stand-ins
// for OpenAI and FCM. Each process is configured as docs/deploy.md says: DATABASE_URL through
// the pooler, DATABASE_DIRECT_URL to the primary, DATABASE_REPLICA_URLS to the replica.

const SERVER_MAIN = fileURLToPath(import.meta.resolve("@daycarat/server/main"));
const WORKER_MAIN = fileURLToPath(import.meta.resolve("@daycarat/worker/main"));
const DATABASE = "daycarat";
/** The model's answers take this long, so that a worker can be killed in the middle of one. */
const MODEL_DELAY_MS = 1_500;
const WORKER_START_TIMEOUT_MS = 30_000;

const sentence = (n: number) => `${n}번째 추천 문장: 서버 두 대와 워커 두 대로 나눠 맡은 일을 끝까지 해냈습니다. `.padEnd(250, "가");

type ServerProcess = NodeProcess & { url: string };

export interface Worker extends NodeProcess {
  /** It is waiting for the model's answer (each worker has a model stand-in of its own). */
  isCallingTheModel(): boolean;
}

export interface Topology {
  postgres: ReplicatedPostgres;
  servers: [ServerProcess, ServerProcess];
  workers: [Worker, Worker];
  fcm: FakeFcm;
  /** Prisma on the primary, for the test's own checks. */
  db: DatabaseClient;
  /** The app database's URL on the replica, for its statistics. */
  replicaUrl: string;
  primaryUrl: string;
}

/**
 * Everything is stopped after the file's tests, and at once when the start fails: the test file
 * then never gets to its hooks, and the database servers and PgBouncer would outlive it.
 */
export async function startTopology(): Promise<Topology> {
  const cleanups = createCleanupStack();
  cleanUpAfter(() => cleanups.run());
  try {
    return await startEverything(cleanups);
  } catch (error) {
    await cleanups.run();
    throw error;
  }
}

async function startEverything(cleanups: CleanupStack): Promise<Topology> {
  const logger = createLogger({ service: "topology-test", level: "warn", pretty: false });
  const postgres = await startReplicatedPostgres(logger, { preloadLibraries: ["pg_stat_statements"] });
  cleanups.push(() => postgres.dispose(), "the primary and its replica");
  await ensureDatabase(postgres.primary.url, DATABASE);
  const primaryUrl = postgres.primary.urlFor(DATABASE);
  const replicaUrl = postgres.replica.urlFor(DATABASE);
  await withConnection(primaryUrl, (client) => client.query("CREATE EXTENSION pg_stat_statements"));

  const pgBouncer = await startPgBouncer({ serverUrl: postgres.primary.url });
  cleanups.push(() => pgBouncer.stop(), "PgBouncer");
  const fcm = await listenFakeFcm();
  cleanups.push(() => fcm.close(), "the FCM stand-in");

  const databaseEnv = {
    DATABASE_URL: pgBouncer.url(primaryUrl),
    DATABASE_DIRECT_URL: primaryUrl,
    DATABASE_REPLICA_URLS: replicaUrl,
  };
  const workerEnv = {
    ...databaseEnv,
    // Two workers on one machine: neither takes the default metrics port.
    ...METRICS_OFF,
    OPENAI_API_KEY: "sk-test",
    FIREBASE_SERVICE_ACCOUNT: fcm.serviceAccountJson,
    FCM_STAND_IN_URL: fcm.url,
    // Its start is awaited by its log line.
    LOG_LEVEL: "info",
    LOG_FORMAT: "json",
  };
  const startServer = async () => {
    const server = await startServerProcess(SERVER_MAIN, { ...databaseEnv, ...UNREACHED_RATE_LIMITS });
    cleanups.push(() => server.stop(), "a server");
    return server;
  };
  const startWorker = async (): Promise<Worker> => {
    const callsAt: number[] = [];
    const model = await listenFakeOpenAI(() => {
      callsAt.push(Date.now());
      return { toolCall: { keyword: "EXECUTION", sentences: [1, 2, 3].map(sentence) }, delayMs: MODEL_DELAY_MS };
    });
    cleanups.push(() => model.close(), "a model stand-in");
    const worker = startNodeProcess(WORKER_MAIN, { env: { ...workerEnv, OPENAI_BASE_URL: model.baseUrl } });
    cleanups.push(() => worker.stop(), "a worker");
    await waitUntil(() => (worker.output().includes('"msg":"worker started"') ? true : undefined), {
      what: "a worker to start",
      timeoutMs: WORKER_START_TIMEOUT_MS,
    });
    // Well before the answer, so that a kill now still finds the call unanswered.
    return { ...worker, isCallingTheModel: () => callsAt.some((at) => Date.now() - at < MODEL_DELAY_MS / 2) };
  };
  // The first server applies the migrations; the others start together and find them applied.
  const firstServer = await startServer();
  const [secondServer, ...workers] = await Promise.all([startServer(), startWorker(), startWorker()]);
  const servers: Topology["servers"] = [firstServer, secondServer];

  const db = createDatabaseClient(primaryUrl, { maxConnections: 3 });
  cleanups.push(() => db.$disconnect(), "the test's database client");
  return { postgres, servers, workers, fcm, db, replicaUrl, primaryUrl };
}

/** How often each statement (by pg_stat_statements' queryid, the same on a primary and its physical replica) ran. */
export type StatementCalls = ReadonlyMap<string, number>;

/**
 * How often each statement ran so far on the server at `url`, from pg_stat_statements: with
 * `appReads`, only the read statements of the app, told by their text (SELECTs from the app's own
 * tables: not a bare `SELECT 1`, not pg-boss's, not Prisma's migration table, not locking reads,
 * not the catalog or these statistics); without, every statement, by queryid alone. The primary's
 * calls of the statements the replica served are counted without the filter: pg_stat_statements
 * keeps the texts in a file of its own, and can show a text as NULL (one run under the full suite
 * counted none of them on the primary, by text, while it served every read).
 */
export async function readStatementCalls(url: string, { appReads }: { appReads: boolean }): Promise<StatementCalls> {
  const appReadsOnly = String.raw`
         AND query ~* '^\s*(select|with)\M' AND query ~* '\mfrom\M'
         AND query !~* 'pgboss|_prisma_migrations|pg_stat_statements|pg_catalog|pg_last_wal|pg_current_wal|\mfor (update|share|no key update)\M'`;
  return withConnection(url, async (client) => {
    const { rows } = await client.query<{ queryid: string; calls: string }>(
      `SELECT queryid::text, sum(calls)::text AS calls
       FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())${appReads ? appReadsOnly : ""}
       GROUP BY queryid`,
    );
    return new Map(rows.map((row) => [row.queryid, Number(row.calls)]));
  });
}

/** How many times the statements of `only` (all by default) ran between two snapshots. */
export function callsBetween(before: StatementCalls, after: StatementCalls, only: Iterable<string> = after.keys()): number {
  let calls = 0;
  for (const queryid of only) calls += (after.get(queryid) ?? 0) - (before.get(queryid) ?? 0);
  return calls;
}
