import { createRequire } from "node:module";
import { pino, type Bindings, type ChildLoggerOptions, type DestinationStream, type Level, type Logger, type LoggerOptions } from "pino";

export type { Logger } from "pino";

/** The logging methods code needs from a logger, whichever pino-based logger it is handed. */
export type LogMethods = Pick<Logger, "fatal" | "error" | "warn" | "info" | "debug" | "trace">;

/** A request's logger: its lines carry the request id, and it can add more context (the user). */
export interface RequestLog extends LogMethods {
  child(bindings: Record<string, unknown>): RequestLog;
}

/** The part of a pino logger (or of Fastify's view of one) a deferred child reads and makes its child of. */
interface PinoLog extends Pick<Logger, Level | "level"> {
  child(bindings: Bindings, options?: ChildLoggerOptions): PinoLog;
}

/** Whether a logger at `loggerLevel` writes lines of `level` ("silent" and unknown levels write none). */
function writes(loggerLevel: string, level: string): boolean {
  const values: Record<string, number | undefined> = pino.levels.values;
  return (values[level] ?? Number.POSITIVE_INFINITY) >= (values[loggerLevel] ?? Number.POSITIVE_INFINITY);
}

/**
 * A child logger (a request's: its request id, its user) that makes its pino child only when
 * it first writes a line. Making a pino child runs its bindings through every redaction path,
 * which per request is wasted whenever the level drops all of the request's lines; the lines
 * it does write are the pino child's own, bindings and redaction included.
 */
export class DeferredChildLog implements RequestLog {
  readonly #parent: () => PinoLog;
  readonly #parentEnabled: (level: string) => boolean;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions | undefined;
  #made: PinoLog | undefined;

  private constructor(parent: () => PinoLog, parentEnabled: (level: string) => boolean, bindings: Bindings, options?: ChildLoggerOptions) {
    this.#parent = parent;
    this.#parentEnabled = parentEnabled;
    this.#bindings = bindings;
    // Fastify passes `{}`; pino makes a child more slowly for any options object, even an empty one.
    this.#options = options && Object.keys(options).length > 0 ? options : undefined;
    // A level of its own decides which lines it writes: then it is made at once.
    if (options?.level !== undefined) this.#pinoChild();
  }

  /** A child of the logger, made when it first writes. */
  static of(parent: PinoLog, bindings: Bindings, options?: ChildLoggerOptions): DeferredChildLog {
    return new DeferredChildLog(
      () => parent,
      (level) => writes(parent.level, level),
      bindings,
      options,
    );
  }

  fatal(...args: unknown[]): void {
    this.#write("fatal", args);
  }

  error(...args: unknown[]): void {
    this.#write("error", args);
  }

  warn(...args: unknown[]): void {
    this.#write("warn", args);
  }

  info(...args: unknown[]): void {
    this.#write("info", args);
  }

  debug(...args: unknown[]): void {
    this.#write("debug", args);
  }

  trace(...args: unknown[]): void {
    this.#write("trace", args);
  }

  silent(): void {
    // What pino's "silent" level writes: nothing.
  }

  get level(): string {
    return this.#pinoChild().level;
  }

  set level(level: string) {
    this.#pinoChild().level = level;
  }

  isLevelEnabled(level: string): boolean {
    return this.#made ? writes(this.#made.level, level) : this.#parentEnabled(level);
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): DeferredChildLog {
    return new DeferredChildLog(
      () => this.#pinoChild(),
      (level) => this.isLevelEnabled(level),
      bindings,
      options,
    );
  }

  #pinoChild(): PinoLog {
    this.#made ??= this.#parent().child(this.#bindings, this.#options);
    return this.#made;
  }

  #write(level: Level, args: unknown[]): void {
    if (!this.isLevelEnabled(level)) return;
    const made = this.#pinoChild();
    Reflect.apply(made[level], made, args);
  }
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
  /** Fields added to every ERROR-and-worse line from the error it logs (`err` or `error`), read before it is serialised. */
  errorFields?: ErrorFields;
}

export type ErrorFields = (error: unknown) => Record<string, unknown> | undefined;

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

const NO_FIELDS = {};
/** pino's number for the ERROR level. */
const ERROR_LEVEL = 50;

/** pino's mixin for `errorFields`: the fields of the error an ERROR-or-worse line logs, before it is serialised. */
function errorFieldsMixin(errorFields: ErrorFields) {
  return (mergeObject: object, level: number): object => {
    if (level < ERROR_LEVEL) return NO_FIELDS;
    const { err, error } = mergeObject as { err?: unknown; error?: unknown };
    const logged = err ?? error;
    return logged === undefined ? NO_FIELDS : (errorFields(logged) ?? NO_FIELDS);
  };
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level,
    base: { service: options.service },
    redact: { paths: secretPaths(), censor: REDACTED },
    // Error objects are serialised whether they are logged as `err` or `error`.
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(options.errorFields && { mixin: errorFieldsMixin(options.errorFields) }),
  };
  const destination =
    options.destination ??
    (options.pretty
      ? // By its path, resolved from this package (its dependency): pino would look the name up from the app's bundle.
        pino.transport({
          target: createRequire(import.meta.url).resolve("pino-pretty"),
          options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" },
        })
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
