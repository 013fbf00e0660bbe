// The query plans behind each scenario. The SQL is not written out by hand: the procedure
// itself runs in-process (appRouter.createCaller) on a Prisma client that reports every
// statement it sends, and each statement is then EXPLAINed with the same parameters.
import type pg from "pg";
import { appRouter, identifyCaller, startNotificationFeed, startRevocationList } from "@daycarat/api";
import { loadConfig } from "@daycarat/config";
import { createDatabaseClient, startReadRouting, type DatabaseClient, type ExecutedQuery } from "@daycarat/db";
import type { JobQueue } from "@daycarat/jobs";
import { createLogger } from "@daycarat/logger";
import type { Scenario } from "./scenarios.ts";

/** Tables above this many rows must not be read by a Seq Scan on a per-user request. */
const BIG_TABLE_ROWS = 10_000;

/**
 * More rows than one user owns of anything (200 episodes, up to 600 contents, 10 tags):
 * a scan reading more is reading other users' rows too, and grows with the user count.
 */
const ONE_USERS_ROWS = 1_000;

export interface CapturedQuery {
  sql: string;
  params: unknown[];
}

export interface ScanNode {
  kind: "Seq Scan" | "Index Scan" | "Index Only Scan" | "Bitmap Index Scan";
  /** The index, for every kind but Seq Scan. */
  index?: string;
  /** The table, for every kind but Bitmap Index Scan (its Bitmap Heap Scan names it). */
  table?: string;
  /** Rows the node produced over all its loops, plus rows its filter discarded. */
  rowsRead: number;
}

export interface ScenarioPlans {
  scenario: Scenario;
  plans: { query: CapturedQuery; lines: string[] }[];
  indexesUsed: string[];
  missingExpectedIndexes: string[];
  /** Seq Scans on tables above BIG_TABLE_ROWS, with their row counts. */
  bigSeqScans: { table: string; rows: number }[];
  /** Scans that read more rows than one user has: they read across users. */
  wideScans: { node: string; rowsRead: number }[];
}

export function procedureExists(procedure: string): boolean {
  // The router's definition keeps its procedures by their full dotted path.
  return Object.hasOwn(appRouter._def.procedures, procedure);
}

/** Walks the caller's proxy to a procedure by its dotted path, as tRPC's HTTP handler does. */
function procedureOf(caller: object, procedure: string): (input?: unknown) => Promise<unknown> {
  let node: unknown = caller;
  for (const key of procedure.split(".")) node = (node as Record<string, unknown>)[key];
  return node as (input?: unknown) => Promise<unknown>;
}

export interface RecordedCall {
  /** The statements the procedure sent, in order. */
  queries: CapturedQuery[];
  answer: unknown;
}

export interface ProcedureRecorder {
  /** Runs the procedure as the user. */
  record(procedure: string, input: unknown, accessToken: string): Promise<RecordedCall>;
  close(): Promise<void>;
}

export async function createProcedureRecorder(databaseUrl: string, jwtSecret: string): Promise<ProcedureRecorder> {
  let captured: CapturedQuery[] = [];
  const onQuery = (event: ExecutedQuery) => {
    captured.push({ sql: event.query, params: JSON.parse(event.params) as unknown[] });
  };
  const db: DatabaseClient = createDatabaseClient(databaseUrl, { maxConnections: 4, onQuery });
  const config = loadConfig({ NODE_ENV: "production", DATABASE_URL: databaseUrl, JWT_SECRET: jwtSecret });
  const log = createLogger({ service: "benchmark", level: "silent", pretty: false });
  // No queue at all: the benchmarked procedures only read, and one that touched a job would fail loudly.
  const jobs = new Proxy({} as JobQueue, {
    get: (_target, method) =>
      method === "then" ? undefined : () => Promise.reject(new Error(`the benchmark uses no job queue (${String(method)})`)),
  });
  // The primary alone: the plans are the queries' own, wherever they would run.
  const reads = startReadRouting({ primary: db, replicaUrls: [], maxLagMs: 0, poolSize: 1, logger: log });
  const notificationFeed = await startNotificationFeed(databaseUrl, log);
  const revocations = await startRevocationList({ db, databaseUrl, recheckMs: config.auth.revocationRecheckMs, logger: log });
  return {
    async record(procedure, input, accessToken) {
      const caller = appRouter.createCaller({
        config,
        db,
        reads,
        jobs,
        notificationFeed,
        revocations,
        log,
        caller: await identifyCaller(config.auth.jwtSecret, `Bearer ${accessToken}`),
      });
      captured = [];
      const answer = await procedureOf(caller, procedure)(input);
      return { queries: captured, answer };
    },
    async close() {
      await notificationFeed.close();
      await revocations.close();
      await db.$disconnect();
    },
  };
}

const SCAN_LINE = /(Seq Scan|Index Only Scan|Index Scan|Bitmap Index Scan)(?: Backward)?(?: using (\S+))? on (\S+)/;
const ACTUAL_ROWS = /actual time=[\d.]+\.\.[\d.]+ rows=([\d.]+) loops=(\d+)/;
const ROWS_REMOVED = /Rows Removed by (?:Filter|Index Recheck): (\d+)/;

const unquote = (name: string) => name.replaceAll('"', "");

/** Rows a node produced per loop, and its loops (EXPLAIN prints per-loop averages). */
function actualRows(line: string): { rows: number; loops: number } {
  const actual = ACTUAL_ROWS.exec(line);
  return actual ? { rows: Number(actual[1]), loops: Number(actual[2]) } : { rows: 0, loops: 0 };
}

function scanNodeOf(line: string): ScanNode | undefined {
  const match = SCAN_LINE.exec(line);
  if (!match?.[1] || !match[3]) return undefined;
  const kind = match[1] as ScanNode["kind"];
  const target = unquote(match[3]);
  const { rows, loops } = actualRows(line);
  const rowsRead = rows * loops;
  if (kind === "Seq Scan") return { kind, table: target, rowsRead };
  if (kind === "Bitmap Index Scan") return { kind, index: target, rowsRead };
  return { kind, index: unquote(match[2] ?? ""), table: target, rowsRead };
}

/**
 * The scan nodes of a text plan: which tables were read whole, which indexes were used,
 * and how many rows each read (rows it returned, plus those its filter then threw away).
 */
export function scanNodes(planLines: string[]): ScanNode[] {
  const nodes: ScanNode[] = [];
  let current: { node: ScanNode; loops: number } | undefined;
  planLines.forEach((line, index) => {
    // The top node is the first line, every other node starts with "->"; detail lines
    // (Filter, Rows Removed, Buffers…) follow their node.
    if (index === 0 || line.includes("->")) {
      const node = scanNodeOf(line);
      current = node ? { node, loops: actualRows(line).loops } : undefined;
      if (node) nodes.push(node);
      return;
    }
    const removed = ROWS_REMOVED.exec(line);
    if (current && removed) current.node.rowsRead += Number(removed[1]) * current.loops;
  });
  return nodes;
}

async function explainAnalyze(client: pg.Client, query: CapturedQuery): Promise<string[]> {
  const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${query.sql}`, query.params);
  return rows.map((row) => row["QUERY PLAN"]);
}

async function tableRowCounts(client: pg.Client): Promise<Map<string, number>> {
  const { rows } = await client.query<{ table: string; rows: number }>(
    `SELECT relname AS table, reltuples::bigint::int AS rows FROM pg_class
     WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace`,
  );
  return new Map(rows.map((row) => [row.table, row.rows]));
}

function judgePlans(scenario: Scenario, plans: ScenarioPlans["plans"], rowCounts: Map<string, number>): ScenarioPlans {
  const nodes = plans.flatMap((plan) => scanNodes(plan.lines));
  const indexesUsed = [...new Set(nodes.flatMap((node) => (node.index ? [node.index] : [])))];
  const seqScanned = new Set(nodes.flatMap((node) => (node.kind === "Seq Scan" && node.table ? [node.table] : [])));
  const bigSeqScans = [...seqScanned]
    .map((table) => ({ table, rows: rowCounts.get(table) ?? 0 }))
    .filter((scan) => scan.rows > BIG_TABLE_ROWS);
  const missingExpectedIndexes = scenario.expectedIndexes.filter((index) => !indexesUsed.includes(index));
  const wideScans = nodes
    .filter((node) => node.rowsRead > ONE_USERS_ROWS)
    .map((node) => ({ node: `${node.kind} ${node.index ?? node.table ?? ""}`, rowsRead: node.rowsRead }));
  return { scenario, plans, indexesUsed, missingExpectedIndexes, bigSeqScans, wideScans };
}

/** Users tried, at most, in search of one whose answer is not empty. */
const CANDIDATE_USERS = 20;

/** Whether an answer has rows: a list with items, or a page ({ items }) with items. */
function hasRows(answer: unknown): boolean {
  if (Array.isArray(answer)) return answer.length > 0;
  if (typeof answer === "object" && answer !== null && "items" in answer && Array.isArray(answer.items)) {
    return answer.items.length > 0;
  }
  return true;
}

/**
 * The statements of the scenario's first input, run as the first of the users whose answer
 * is not empty: an empty answer lets Postgres skip whole branches of a plan ("never
 * executed"), which would hide the work a typical request does.
 */
async function recordTypicalCall(recorder: ProcedureRecorder, scenario: Scenario, accessTokens: string[]): Promise<RecordedCall> {
  let call: RecordedCall | undefined;
  for (const accessToken of accessTokens.slice(0, CANDIDATE_USERS)) {
    call = await recorder.record(scenario.procedure, scenario.input(0), accessToken);
    if (hasRows(call.answer)) return call;
  }
  if (!call) throw new Error("no user to EXPLAIN the scenario as");
  return call;
}

/** EXPLAINs (ANALYZE, BUFFERS) each statement of a typical request of the scenario. */
export async function explainScenario(
  recorder: ProcedureRecorder,
  client: pg.Client,
  scenario: Scenario,
  accessTokens: string[],
): Promise<ScenarioPlans> {
  const { queries } = await recordTypicalCall(recorder, scenario, accessTokens);
  const plans = [];
  for (const query of queries) plans.push({ query, lines: await explainAnalyze(client, query) });
  return judgePlans(scenario, plans, await tableRowCounts(client));
}
