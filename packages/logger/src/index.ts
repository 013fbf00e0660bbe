import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";

export type { Logger } from "pino";

/** The logging methods code needs from a logger, whichever pino-based logger it is handed. */
export type LogMethods = Pick<Logger, "fatal" | "error" | "warn" | "info" | "debug" | "trace">;

/** A request's logger: its lines carry the request id, and it can add more context (the user). */
export interface RequestLog extends LogMethods {
  child(bindings: Record<string, unknown>): RequestLog;
}

export interface CreateLoggerOptions {
  /** Shown as `service` on every line: server, worker, launcher… */
  service: string;
  level: string;
  /** Human-readable lines (development); JSON otherwise. */
  pretty: boolean;
  /** Where lines go; standard output when omitted. Tests pass a stream to read them. */
  destination?: DestinationStream;
  /** Also receives every ERROR-and-worse line, redacted like the rest (error reports to Slack). */
  errorSink?: DestinationStream;
}

/** Keys whose values never reach a log line, at any of the depths logs nest them. */
const SECRET_KEYS = [
  "authorization",
  "cookie",
  "set-cookie",
  "password",
  "secret",
  "token",
  "accessToken",
  "refreshToken",
  "identityToken",
  "idToken",
  "apiKey",
  "api_key",
  "privateKey",
  "private_key",
  "clientSecret",
  "jwtSecret",
  "signingSecret",
  "x-slack-signature",
  "DATABASE_URL",
  "databaseUrl",
];

const MAX_DEPTH = 4;

function secretPaths(): string[] {
  const paths: string[] = [];
  for (const key of SECRET_KEYS) {
    const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`;
    let prefix = "";
    for (let depth = 0; depth <= MAX_DEPTH; depth++) {
      paths.push(depth === 0 ? segment.replace(/^\./, "") : `${prefix}${segment}`);
      prefix = depth === 0 ? "*" : `${prefix}.*`;
    }
  }
  return paths;
}

export const REDACTED = "[redacted]";

export function createLogger(options: CreateLoggerOptions): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level,
    base: { service: options.service },
    redact: { paths: secretPaths(), censor: REDACTED },
    // Error objects are serialised whether they are logged as `err` or `error`.
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const destination =
    options.destination ??
    (options.pretty
      ? pino.transport({ target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" } })
      : pino.destination(1));
  if (!options.errorSink) return pino(pinoOptions, destination);
  // Errors reach the sink whatever LOG_LEVEL keeps off the main destination (even "silent").
  const quieterThanErrors = options.level === "fatal" || options.level === "silent";
  const streams = [
    ...(options.level === "silent" ? [] : [{ level: options.level, stream: destination }]),
    { level: "error", stream: options.errorSink },
  ];
  return pino({ ...pinoOptions, level: quieterThanErrors ? "error" : options.level }, pino.multistream(streams));
}

/** A connection string with its password replaced, safe to print. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "[unparsable url]";
  }
}
