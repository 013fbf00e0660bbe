import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { expect, it } from "vitest";
import { sendJson, startLocalServer } from "@daycarat/testkit";
import { errorAnswerData } from "./error-shape.ts";
import { startTestApi } from "./test-server.ts";

// Every operation of the served /openapi.json, called over HTTP with generated hostile input,
// as REST and as the same tRPC procedure, signed out, signed in and as an admin: no answer may be a 5xx, and every error answer must
// have the documented shape. CI runs a fixed seed; a local run picks one and prints it, so that
// a failure can be replayed with FUZZ_SEED=<seed>.

const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.CI === "true" ? 20_261_201 : Date.now() % 2 ** 31;
const RUNS_PER_OPERATION = 20;
/** The whole test's time budget; each operation gets its share. */
const TIME_BUDGET_MS = 25_000;

// Sign-in providers answer "no such user" (Kakao) or publish no key (Apple), locally.
const kakao = await startLocalServer((_request, response) => {
  sendJson(response, 401, { msg: "this access token does not exist", code: -401 });
});
const apple = await startLocalServer((_request, response) => {
  sendJson(response, 200, { keys: [] });
});
const api = await startTestApi({ KAKAO_API_URL: kakao.url, APPLE_JWKS_URL: apple.url });

interface Parameter {
  name: string;
  in: string;
}
interface Operation {
  method: string;
  path: string;
  /** The procedure's path with dashes ("episodes-list"), as trpc-to-openapi names operations. */
  operationId: string;
  parameters: Parameter[];
  bodyFields: string[] | undefined;
}

/** The operations of the document the server serves. */
async function servedOperations(): Promise<Operation[]> {
  const document = (await (await fetch(`${api.url}/openapi.json`)).json()) as {
    paths: Record<
      string,
      Record<
        string,
        { operationId: string; parameters?: Parameter[]; requestBody?: { content: Record<string, { schema?: { properties?: object } }> } }
      >
    >;
  };
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const schema = operation.requestBody?.content["application/json"]?.schema;
      return {
        method: method.toUpperCase(),
        path,
        operationId: operation.operationId,
        parameters: (operation.parameters ?? []).filter((parameter) => parameter.in === "path" || parameter.in === "query"),
        bodyFields: operation.requestBody ? Object.keys(schema?.properties ?? {}) : undefined,
      };
    }),
  );
}

const FAMILY = "👨‍👩‍👧‍👦";

/** Text that has broken servers: NUL, lone surrogates, emoji, right-to-left, path tricks, huge and numeric-looking strings. */
const hostileText = fc.oneof(
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "\ud800",
    "x\udfffy",
    FAMILY.repeat(101),
    `a${"\u0301".repeat(3_000)}`,
    "\u202eevil\u202c",
    "مرحبا بالعالم",
    "שלום",
    "../../etc/passwd",
    "..%2F..%2Fme",
    "%2e%2e%2f",
    "a/b",
    "%00",
    "%ED%A0%80",
    "%C0%AF",
    "x".repeat(20_000),
    "",
    " ",
    "null",
    "0x10",
    "-1",
    "1e309",
    "NaN",
    "01a23266-c669-7728-b605-d6e5351fdd09",
    "2024-02-30",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%_\\",
  ),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.string({ unit: "grapheme", maxLength: 60 }),
);

/** Any JSON value, of every wrong type a field may get. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: "small" },
  hostileText,
  fc.constantFrom(0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, true, false, null, [], {}),
  fc.integer(),
  fc.array(hostileText, { maxLength: 30 }),
  fc.dictionary(hostileText, hostileText, { maxKeys: 3 }),
);

function nested(levels: number): string {
  return "[".repeat(levels) + "]".repeat(levels);
}

/** A raw body: deep nesting, not JSON, too large, or JSON of the wrong type. */
const hostileRawBody = fc.oneof(
  fc.constantFrom(nested(100), nested(5_000), nested(200_000), `${'{"a":'.repeat(3_000)}1${"}".repeat(3_000)}`),
  fc.constantFrom("{", "", "null", "[]", '"text"', "1", '{"__proto__":{"admin":true}}', `{"x":"${"가".repeat(400_000)}"}`),
);

type Caller = "signed-out" | "user" | "admin";

interface Call {
  /** REST as the document describes it, or the same procedure through tRPC. */
  transport: "rest" | "trpc";
  caller: Caller;
  pathValues: string[];
  query: [string, string][];
  body: string | undefined;
  /** Whether path and query values are percent-encoded, or sent as they are (`%00` then means NUL). */
  encode: boolean;
}

function callOf(operation: Operation): fc.Arbitrary<Call> {
  const pathCount = operation.parameters.filter((parameter) => parameter.in === "path").length;
  const queryNames = operation.parameters.filter((parameter) => parameter.in === "query").map((parameter) => parameter.name);
  const field = fc.constantFrom(...(operation.bodyFields?.length ? operation.bodyFields : ["unknown"]), "__proto__", "constructor");
  const body = operation.bodyFields
    ? fc.oneof(
        fc.dictionary(field, hostileValue, { maxKeys: 5 }).map((value) => JSON.stringify(value)),
        hostileRawBody,
        hostileValue.map((value) => JSON.stringify(value)),
      )
    : fc.constant(undefined);
  const queryName = fc.constantFrom(...queryNames, "input", "batch", "unknown");
  return fc.record({
    transport: fc.constantFrom("rest", "trpc"),
    caller: fc.constantFrom<Caller>("signed-out", "user", "admin"),
    pathValues: fc.array(hostileText, { minLength: pathCount, maxLength: pathCount }),
    query: fc.array(fc.tuple(queryName, hostileText.map(String)), { maxLength: 4 }),
    body,
    encode: fc.boolean(),
  });
}

/** A value for a URL: percent-encoded, or as it is (lone surrogates cannot be encoded, and go as they are). */
function urlValue(value: string, encode: boolean): string {
  return encode && value.isWellFormed() ? encodeURIComponent(value) : value;
}

/** The call as REST: path and query values in the URL, the body as it is. */
function restRequest(operation: Operation, call: Call): { url: string; method: string; body: string | undefined } {
  let index = 0;
  const path = operation.path.replace(/\{[^}]+\}/g, () => urlValue(call.pathValues[index++] ?? "", call.encode));
  const query = call.query.map(([name, value]) => `${urlValue(name, call.encode)}=${urlValue(value, call.encode)}`).join("&");
  return { url: `${api.url}/api/v1${path}${query ? `?${query}` : ""}`, method: operation.method, body: call.body };
}

/** A body's JSON object with these fields added, or the body as it is when it is no JSON object. */
function withFields(body: string, fields: Record<string, unknown>): string {
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? JSON.stringify({ ...fields, ...parsed }) : body;
  } catch {
    return body;
  }
}

/** The same call through tRPC: every value in one input, in a GET's `input` or a POST's body. */
function trpcRequest(operation: Operation, call: Call): { url: string; method: string; body: string | undefined } {
  const procedure = operation.operationId.replaceAll("-", ".");
  const pathNames = operation.parameters.filter((parameter) => parameter.in === "path").map((parameter) => parameter.name);
  const pathFields = pathNames.map((name, index): [string, string | undefined] => [name, call.pathValues[index]]);
  const fields: Record<string, unknown> = Object.fromEntries([...pathFields, ...call.query]);
  const input = call.body === undefined ? JSON.stringify(fields) : withFields(call.body, fields);
  if (operation.method === "GET")
    return { url: `${api.url}/trpc/${procedure}?input=${urlValue(input, call.encode)}`, method: "GET", body: undefined };
  return { url: `${api.url}/trpc/${procedure}`, method: "POST", body: input };
}

it("no operation answers a 5xx or an error outside the documented shape, whatever its input", { timeout: 120_000 }, async () => {
  console.info(`fuzz seed ${seed} (replay with FUZZ_SEED=${seed})`);
  const operations = await servedOperations();
  expect(operations.length).toBeGreaterThan(40);
  const tokens: Record<Caller, string | undefined> = {
    "signed-out": undefined,
    user: (await (await api.signIn("fuzz@x.dev")).tokens.get())?.accessToken,
    admin: (await (await api.signInAdmin("fuzz-admin@x.dev")).tokens.get())?.accessToken,
  };
  const budgetPerOperation = Math.floor(TIME_BUDGET_MS / operations.length);
  let requests = 0;

  for (const operation of operations) {
    // Deleting the account is tried on accounts of its own: the others' runs need theirs.
    const deletesAccount = operation.method === "DELETE" && operation.path === "/me";
    await fc.assert(
      fc.asyncProperty(callOf(operation), async (call) => {
        const signedIn = call.caller !== "signed-out";
        const token =
          deletesAccount && signedIn
            ? (await (await api.signIn(`fuzz-${randomUUID()}@x.dev`)).tokens.get())?.accessToken
            : tokens[call.caller];
        const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
        const { url, method, body } = call.transport === "rest" ? restRequest(operation, call) : trpcRequest(operation, call);
        if (body !== undefined) headers["content-type"] = "application/json";
        const response = await fetch(url, { method, headers, body });
        requests += 1;
        const text = await response.text();
        const where = `${method} ${url.slice(0, 300)} as ${call.caller}: ${response.status} ${text.slice(0, 500)}`;
        expect(response.status, where).toBeLessThan(500);
        if (response.status < 400) return;
        const data = errorAnswerData(response.url, JSON.parse(text));
        expect(data, where).not.toBeTypeOf("string");
        expect((data as { httpStatus: number }[])[0]?.httpStatus, where).toBe(response.status);
      }),
      { seed, numRuns: RUNS_PER_OPERATION, interruptAfterTimeLimit: budgetPerOperation, markInterruptAsFailure: false, endOnFailure: true },
    );
  }
  console.info(`fuzz: ${requests} requests over ${operations.length} operations`);
});
