// The baseline bench:ceiling holds the project's server against: plain Fastify and a pg Pool,
// the same HS256 access token checked with jose (same secret, same claims checks), and the
// SQL captured from the project (replay.ts) sent with the caller's user id. One route per
// scenario, GET /<route>?input=<JSON>, answering the statements' rows as JSON. Nothing else:
// no validation library, no logging, no tRPC, no ORM; it is the floor, not a competitor.
//
// Environment: DATABASE_URL, JWT_SECRET, HOST, PORT, RAW_REPLAYS (a JSON file: route → ScenarioReplay).
import { readFileSync } from "node:fs";
import Fastify, { type FastifyReply, type FastifyRequest } from "fastify";
import { jwtVerify } from "jose";
import pg from "pg";
import { ACCESS_TOKEN_CHECKS } from "../tokens.ts";
import { bindParameters, dependencies, type ReplayStatement, type Row, type ScenarioReplay } from "./replay.ts";

/** The project's default DATABASE_POOL_SIZE. */
const POOL_SIZE = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLES = new Set(["USER", "ADMIN"]);

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const secret = new TextEncoder().encode(required("JWT_SECRET"));
const replays = JSON.parse(readFileSync(required("RAW_REPLAYS"), "utf8")) as Record<string, ScenarioReplay>;
const pool = new pg.Pool({ connectionString: required("DATABASE_URL"), max: POOL_SIZE });

/** The caller's user id, or undefined for a missing, invalid or expired token. */
async function callerOf(authorization: string | undefined): Promise<string | undefined> {
  if (!authorization?.startsWith("Bearer ")) return undefined;
  try {
    const { payload } = await jwtVerify(authorization.slice("Bearer ".length), secret, ACCESS_TOKEN_CHECKS);
    const valid = UUID.test(payload.sub ?? "") && UUID.test(String(payload.sid)) && ROLES.has(String(payload.role));
    return valid ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}

/** Sends the statements as the project does: each once the statements it takes values from have answered. */
async function replay(statements: ReplayStatement[], userId: string): Promise<Row[][]> {
  const rows: Row[][] = [];
  const done = new Set<number>();
  while (done.size < statements.length) {
    const ready = [...statements.entries()].filter(
      ([index, statement]) => !done.has(index) && dependencies(statement).every((dependency) => done.has(dependency)),
    );
    await Promise.all(
      ready.map(async ([index, statement]) => {
        rows[index] = (await pool.query<Row>(statement.sql, bindParameters(statement, userId, rows))).rows;
        done.add(index);
      }),
    );
  }
  return rows;
}

const app = Fastify();
app.get("/readyz", () => ({ ready: true }));
for (const [route, replayOf] of Object.entries(replays)) {
  app.get(`/${route}`, async (request: FastifyRequest<{ Querystring: { input?: string } }>, reply: FastifyReply) => {
    const userId = await callerOf(request.headers.authorization);
    if (!userId) return reply.code(401).send({ error: "unauthorized" });
    const statements = replayOf[request.query.input ?? ""];
    if (!statements) return reply.code(400).send({ error: "no such input" });
    return replay(statements, userId);
  });
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void app
      .close()
      .then(() => pool.end())
      .finally(() => process.exit(0));
  });
}
await app.listen({ host: required("HOST"), port: Number(required("PORT")) });
