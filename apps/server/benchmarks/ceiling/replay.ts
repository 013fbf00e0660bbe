// The SQL the project really sends for a scenario, captured so that the raw baseline server can
// send the same statements. The procedure runs in-process as one user, with a Prisma client
// that reports each statement (explain.ts's recorder); each statement is then run once more
// here, so that its rows are known. A parameter is then one of: the caller's user id, a value
// an earlier statement returned (Prisma loads relations in follow-up statements, `… WHERE id
// IN ($1, …)` over the first statement's rows), or a constant of the input (a limit, a date).
import type pg from "pg";
import type { ProcedureRecorder } from "../explain.ts";
import type { Scenario } from "../scenarios.ts";

export type ParameterSource = { caller: true } | { statement: number; row: number; column: string } | { value: unknown };

export interface ReplayStatement {
  sql: string;
  parameters: ParameterSource[];
}

/** A scenario's statements for each of its inputs, by the input's JSON ("" for no input). */
export type ScenarioReplay = Record<string, ReplayStatement[]>;

export type Row = Record<string, unknown>;

/** Requests looked at to find a scenario's distinct inputs (each scenario cycles through a few). */
const INPUT_CYCLE = 240;

/** The key the raw server finds a request's statements by: tRPC's `input` query parameter. */
export function inputKey(input: unknown): string {
  return input === undefined ? "" : JSON.stringify(input);
}

/** Ids and dates, not a limit or an offset that could equal some row's number by chance. */
const isTraceable = (value: unknown): value is string => typeof value === "string" && value.length >= 16;

function findInRows(value: string, rowsBefore: Row[][]): ParameterSource | undefined {
  for (const [statement, rows] of rowsBefore.entries()) {
    for (const [row, columns] of rows.entries()) {
      for (const [column, cell] of Object.entries(columns)) if (cell === value) return { statement, row, column };
    }
  }
  return undefined;
}

/**
 * Where each parameter of each statement came from, given the statements, the rows each
 * returned and the user they ran as.
 */
export function traceParameters(queries: { sql: string; params: unknown[] }[], rows: Row[][], userId: string): ReplayStatement[] {
  return queries.map((query, index) => ({
    sql: query.sql,
    parameters: query.params.map((value): ParameterSource => {
      if (value === userId) return { caller: true };
      return (isTraceable(value) ? findInRows(value, rows.slice(0, index)) : undefined) ?? { value };
    }),
  }));
}

/** The statements an earlier one must have answered before this one can be sent. */
export function dependencies(statement: ReplayStatement): number[] {
  return [...new Set(statement.parameters.flatMap((source) => ("statement" in source ? [source.statement] : [])))];
}

/**
 * The parameters for a caller: their user id, and values from the rows their own earlier
 * statements returned. A row the caller's answer lacks (a shorter page) gives NULL, which
 * matches nothing, as the shorter IN list the project would send.
 */
export function bindParameters(statement: ReplayStatement, userId: string, rows: Row[][]): unknown[] {
  return statement.parameters.map((source) => {
    if ("caller" in source) return userId;
    if ("value" in source) return source.value;
    return rows[source.statement]?.[source.row]?.[source.column] ?? null;
  });
}

/** The distinct inputs a scenario sends, in the order it first sends them. */
function distinctInputs(scenario: Scenario): unknown[] {
  const inputs = new Map<string, unknown>();
  for (let n = 0; n < INPUT_CYCLE; n++) {
    const input = scenario.input(n);
    if (!inputs.has(inputKey(input))) inputs.set(inputKey(input), input);
  }
  return [...inputs.values()];
}

/** Records the scenario's statements for each of its inputs, as the given user. */
export async function captureReplay(
  recorder: ProcedureRecorder,
  client: pg.Client,
  scenario: Scenario,
  user: { id: string; accessToken: string },
): Promise<ScenarioReplay> {
  const replay: ScenarioReplay = {};
  for (const input of distinctInputs(scenario)) {
    const { queries } = await recorder.record(scenario.procedure, input, user.accessToken);
    const rows: Row[][] = [];
    for (const query of queries) rows.push((await client.query<Row>(query.sql, query.params)).rows);
    replay[inputKey(input)] = traceParameters(queries, rows, user.id);
  }
  return replay;
}
