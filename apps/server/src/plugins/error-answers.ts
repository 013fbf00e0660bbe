import type { Socket } from "node:net";
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import type { ConnectionError, FastifyError, FastifyPluginCallback, FastifyReply, FastifyRequest, preValidationHookHandler } from "fastify";
import { apiErrorShape, type ApiErrorShape } from "@daycarat/api";

// Every error answer has the API's documented shape (packages/api/src/trpc.ts, apiErrorShape),
// including the ones Fastify and Node give before a request reaches tRPC or REST: bodies that
// are not JSON, too large or too deeply nested, unknown routes, headers too large.

/** How deep arrays and objects may nest in a JSON input; the API's own inputs nest 3 levels. */
export const MAX_JSON_DEPTH = 64;

/** Seconds a client should wait before retrying a 503 (the database is down, or not ready). */
export const RETRY_AFTER_SECONDS = 5;

const TRPC_PREFIX = "/trpc";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const [OPEN_ARRAY, OPEN_OBJECT, CLOSE_ARRAY, CLOSE_OBJECT] = [0x5b, 0x7b, 0x5d, 0x7d];

/** Where the string opened at `start` (a quote) closes; -1 if it never does (the parser refuses that). */
function stringEnd(text: string, start: number): number {
  for (let quote = text.indexOf('"', start + 1); quote !== -1; quote = text.indexOf('"', quote + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
  }
  return -1;
}

/** Whether JSON text nests arrays and objects deeper than MAX_JSON_DEPTH (brackets in strings do not count). */
export function nestsTooDeep(text: string): boolean {
  let depth = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    // Strings are skipped whole: a body is mostly text.
    if (code === QUOTE) {
      index = stringEnd(text, index);
      if (index === -1) return false;
    } else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      depth += 1;
      if (depth > MAX_JSON_DEPTH) return true;
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) depth -= 1;
  }
  return false;
}

/** A request refused before any procedure runs, answered by the error handler below. */
function refusal(statusCode: number, message: string): FastifyError {
  return Object.assign(new Error(message), { statusCode, code: "BAD_REQUEST", name: "RequestRefused" });
}

const tooDeep = () => refusal(400, `JSON must not nest deeper than ${MAX_JSON_DEPTH} levels`);

/** For /trpc, whose JSON tRPC parses itself: the body and a GET's `input` are checked here. */
export const refuseDeepTrpcInput: preValidationHookHandler = (request, _reply, done) => {
  const { input } = request.query as { input?: unknown };
  const texts = [request.body, input].filter((text): text is string => typeof text === "string");
  done(texts.some(nestsTooDeep) ? tooDeep() : undefined);
};

const CODE_BY_STATUS: Record<number, TRPC_ERROR_CODE_KEY> = {
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "TOO_MANY_REQUESTS",
  503: "SERVICE_UNAVAILABLE",
};

function codeForStatus(status: number): TRPC_ERROR_CODE_KEY {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST");
}

/** The shape of an answer with this status: tRPC wraps it in `error`, REST has `code` as a word. */
function errorBody(url: string, status: number, message: string): { status: number; body: object } {
  const formatted = apiErrorShape(new TRPCError({ code: codeForStatus(status), message }));
  // A status without a code of its own (431 headers too large) is still the status answered.
  const shape: ApiErrorShape = { ...formatted, data: { ...formatted.data, httpStatus: status } };
  const body = url.startsWith(TRPC_PREFIX) ? { error: shape } : { ...shape, code: shape.data.code };
  return { status, body };
}

/** A 503 in the documented shape, with no error line: the server is stopping, not failing (Retry-After: the hook below). */
export function answerUnavailable(request: FastifyRequest, reply: FastifyReply, message: string): FastifyReply {
  const { status, body } = errorBody(request.url, 503, message);
  return reply.code(status).send(body);
}

function answerError(error: FastifyError, request: FastifyRequest) {
  const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
  if (status >= 500) request.log.error({ err: error }, "request failed");
  else request.log.info({ code: error.code, reason: error.message }, "request refused");
  return errorBody(request.url, status, error.message);
}

/** Errors Fastify raises, and its router's refusals (a URL with malformed percent-encoding), in the documented shape. */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = answerError(error, request);
  void reply.code(status).send(body);
}

/**
 * Node's own answer to a request it could not read (headers too large: 431, a malformed
 * request: 400), in the documented shape; Fastify's default does the same in its own.
 */
export function answerClientError(error: ConnectionError, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  const message = status === 431 ? "Request headers are too large" : "The request could not be read";
  // The request line, when Node kept it (a Buffer, whatever Fastify's types say), tells a tRPC client.
  const packet: unknown = error.rawPacket;
  const url = Buffer.isBuffer(packet) ? (packet.toString("latin1", 0, 256).split(" ")[1] ?? "") : "";
  const text = JSON.stringify(errorBody(url, status, message).body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}

/**
 * Installs the answers above on the whole server: JSON bodies parsed as before (prototype
 * poisoning refused) but with a nesting limit, unknown routes, errors Fastify raises, and a
 * Retry-After on every 503.
 */
export const errorAnswers: FastifyPluginCallback = (app, _options, done) => {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, parsed) => {
    if (nestsTooDeep(body as string)) parsed(tooDeep(), undefined);
    else void parseJson(request, body as string, parsed);
  });
  app.setErrorHandler(answerFrameworkError);
  app.setNotFoundHandler((request, reply) => {
    const { status, body } = errorBody(request.url, 404, `No route ${request.method} ${request.url.split("?")[0] ?? ""}`);
    return reply.code(status).send(body);
  });
  app.addHook("onSend", async (_request, reply, payload) => {
    // tRPC answers with a fetch Response, whose status the reply takes only once it is sent.
    const status = payload instanceof Response ? payload.status : reply.statusCode;
    if (status === 503 && !reply.hasHeader("retry-after")) reply.header("retry-after", String(RETRY_AFTER_SECONDS));
  });
  done();
};
// Installed on the server itself, not in a scope of its own.
Object.assign(errorAnswers, { [Symbol.for("skip-override")]: true });
