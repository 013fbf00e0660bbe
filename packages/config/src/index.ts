import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** Relative paths in the configuration are relative to the repository root, wherever a command runs. */
const REPOSITORY_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Comma-separated list, blanks dropped: "a, b,,c" → ["a", "b", "c"]. */
const splitCommas = (value: string) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

const commaList = z.string().default("").transform(splitCommas);

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === "" ? undefined : value));

const optionalUrl = z.preprocess((value) => (value === "" ? undefined : value), z.url().optional());

const POSTGRES_PROTOCOL = /^postgres(ql)?$/;
const optionalPostgresUrl = z.preprocess(
  (value) => (value === "" ? undefined : value),
  z.url({ protocol: POSTGRES_PROTOCOL, error: "must be a postgresql:// URL" }).optional(),
);
/** Comma-separated Postgres URLs, each checked: "postgresql://a/db, postgresql://b/db". */
const postgresUrlList = commaList.pipe(
  z.array(z.url({ protocol: POSTGRES_PROTOCOL, error: "must be postgresql:// URLs, comma-separated" })),
);

/** The fields of a Google service-account key file that the Firebase Admin SDK signs in with. */
const serviceAccountSchema = z.looseObject({
  project_id: z.string().min(1),
  client_email: z.string().min(1),
  private_key: z.string().includes("PRIVATE KEY", { message: "must be a PEM private key" }),
});

export type ServiceAccount = z.infer<typeof serviceAccountSchema>;

/** The service account's JSON itself (starts with "{") or the path of its file. */
const serviceAccount = optionalText.transform((value, context) => {
  if (value === undefined) return undefined;
  let text = value;
  if (!value.startsWith("{")) {
    try {
      text = readFileSync(path.resolve(REPOSITORY_ROOT, value), "utf8");
    } catch {
      context.addIssue({ code: "custom", message: "is neither JSON nor a readable file" });
      return z.NEVER;
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    context.addIssue({ code: "custom", message: "is not valid JSON" });
    return z.NEVER;
  }
  const parsed = serviceAccountSchema.safeParse(json);
  if (!parsed.success) {
    context.addIssue({
      code: "custom",
      message: `is not a service account key (${parsed.error.issues.map((issue) => issue.path.join(".")).join(", ")})`,
    });
    return z.NEVER;
  }
  return parsed.data;
});

/** Fastify's `trustProxy`: `true` (any proxy), or the proxies' comma-separated addresses and CIDR ranges. */
const trustProxy = z
  .string()
  .trim()
  .default("false")
  .transform((value): boolean | string => (value === "" || value === "false" ? false : value === "true" || value));

/** Browser origins allowed to call the API; unset or blank: the Vite dev server outside production, none in production. */
const DEVELOPMENT_CORS_ORIGINS = "http://localhost:5173";
const corsOrigins = optionalText
  .transform((value) => (value === undefined ? undefined : splitCommas(value)))
  .pipe(z.array(z.url().transform((url) => new URL(url).origin)).optional());

/** A port of its own for a process's metrics; 0 turns them off. */
const metricsPort = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** USD per million tokens, per model name (an exact name, or a prefix: "gpt-4o-mini" prices "gpt-4o-mini-2024-07-18"). */
const modelPrices = z
  .string()
  .trim()
  .default('{"gpt-4o-mini":{"input":0.15,"output":0.6}}')
  .transform((value, context) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      context.addIssue({ code: "custom", message: 'is not valid JSON (e.g. {"gpt-4o-mini":{"input":0.15,"output":0.6}})' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().min(1), z.strictObject({ input: z.number().min(0), output: z.number().min(0) })));

const POSITIVE_WHOLE_NUMBER = "must be a positive whole number";

/** How many server processes share the port: unset or blank, one per core the process may use. */
const webConcurrency = z.preprocess(
  (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
  z.coerce
    .number({ error: POSITIVE_WHOLE_NUMBER })
    .int(POSITIVE_WHOLE_NUMBER)
    .min(1, POSITIVE_WHOLE_NUMBER)
    .max(256, "must be at most 256")
    .default(() => availableParallelism()),
);

const perMinute = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/**
 * How long a stopping server keeps serving with `/readyz` failing, unless SHUTDOWN_DRAIN_MS says:
 * time for a load balancer's health checks (or a platform's endpoint removal) to take it out.
 */
const PRODUCTION_DRAIN_MS = 5_000;

const shutdownDrainMs = (env: { NODE_ENV: string; SHUTDOWN_DRAIN_MS?: number | undefined }) =>
  env.SHUTDOWN_DRAIN_MS ?? (env.NODE_ENV === "production" ? PRODUCTION_DRAIN_MS : 0);

const DEVELOPMENT_JWT_SECRET = "daycarat-development-only-secret-do-not-use-in-production";

/** Every environment variable the apps read, with its default. `.env.example` documents each. */
const environmentSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Readable lines by default in development, JSON elsewhere. */
    LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
    DATABASE_URL: optionalUrl,
    /** A session of its own on the primary (LISTEN, advisory locks, migrations, pg-boss), when DATABASE_URL is a pooler. */
    DATABASE_DIRECT_URL: optionalPostgresUrl,
    DATABASE_REPLICA_URLS: postgresUrlList,
    DATABASE_REPLICA_MAX_LAG_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    EMBEDDED_POSTGRES_DIR: z.string().min(1).default(".data/postgres"),
    EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    HOST: z.string().min(1).default("0.0.0.0"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    WEB_CONCURRENCY: webConcurrency,
    /** Unset: PRODUCTION_DRAIN_MS in production, none elsewhere (no load balancer to wait for). */
    SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).optional(),
    TRUST_PROXY: trustProxy,
    CORS_ORIGINS: corsOrigins,
    RATE_LIMIT_SIGN_IN_PER_MINUTE: perMinute(30),
    RATE_LIMIT_WRITES_PER_MINUTE: perMinute(120),
    RATE_LIMIT_CALLS_PER_MINUTE: perMinute(600),
    TRPC_MAX_BATCH_SIZE: z.coerce.number().int().min(1).max(1_000).default(20),
    JWT_SECRET: optionalText.pipe(z.string().min(32, "must be at least 32 characters").optional()),
    KAKAO_API_URL: z.url().default("https://kapi.kakao.com"),
    APPLE_JWKS_URL: z.url().default("https://appleid.apple.com/auth/keys"),
    APPLE_CLIENT_IDS: commaList,
    APPLE_API_URL: z.url().default("https://appleid.apple.com"),
    APPLE_TEAM_ID: optionalText,
    APPLE_KEY_ID: optionalText,
    /** The team's "Sign in with Apple" key (.p8): the PEM itself, with real or `\n` line breaks. */
    APPLE_PRIVATE_KEY: optionalText
      .transform((value) => value?.replaceAll("\\n", "\n"))
      .pipe(z.string().includes("PRIVATE KEY", { message: "must be a PEM private key" }).optional()),
    REFRESH_TOKEN_IDLE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    REFRESH_TOKEN_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3_650).default(90),
    REFRESH_TOKEN_REUSE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
    ACCESS_REVOCATION_RECHECK_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
    OPENAI_API_KEY: optionalText,
    OPENAI_BASE_URL: optionalUrl,
    OPENAI_MODEL: z.string().min(1).default("gpt-4o-mini"),
    OPENAI_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(60_000),
    OPENAI_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(4),
    AI_DAILY_QUOTA: z.coerce.number().int().min(1).default(20),
    AI_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(8),
    AI_PRICES: modelPrices,
    METRICS_PORT: metricsPort(9464),
    WORKER_METRICS_PORT: metricsPort(9465),
    FIREBASE_SERVICE_ACCOUNT: serviceAccount,
    FCM_STAND_IN_URL: optionalUrl,
    SLACK_WEBHOOK_URL: optionalUrl,
    SLACK_ERROR_THROTTLE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_BOT_TOKEN: optionalText,
    SLACK_API_URL: z.url().default("https://slack.com/api/"),
    SLACK_ADMIN_USER_IDS: commaList,
  })
  .superRefine((env, context) => {
    // The whole stop, drain and close, must fit in the shutdown timeout.
    if (shutdownDrainMs(env) >= env.SHUTDOWN_TIMEOUT_MS) {
      context.addIssue({
        code: "custom",
        path: ["SHUTDOWN_DRAIN_MS"],
        message: `(${shutdownDrainMs(env)} ms) must be less than SHUTDOWN_TIMEOUT_MS (${env.SHUTDOWN_TIMEOUT_MS} ms), which the drain and the close both fit in`,
      });
    }
    // A direct connection or replicas of a primary that is not named is a mistake, not a choice.
    if (env.DATABASE_URL === undefined) {
      for (const variable of ["DATABASE_DIRECT_URL", "DATABASE_REPLICA_URLS"] as const) {
        if (env[variable]?.length) context.addIssue({ code: "custom", path: [variable], message: "needs DATABASE_URL (the primary) too" });
      }
    }
    // Revoking Apple tokens takes all three; some without the others is a mistake, not a choice.
    const apple = { APPLE_TEAM_ID: env.APPLE_TEAM_ID, APPLE_KEY_ID: env.APPLE_KEY_ID, APPLE_PRIVATE_KEY: env.APPLE_PRIVATE_KEY };
    const missing = Object.keys(apple).filter((variable) => apple[variable as keyof typeof apple] === undefined);
    if (missing.length === 0 || missing.length === 3) return;
    for (const variable of missing) {
      context.addIssue({
        code: "custom",
        path: [variable],
        message: "is required with the other APPLE_TEAM_ID/APPLE_KEY_ID/APPLE_PRIVATE_KEY",
      });
    }
  });

type Environment = z.infer<typeof environmentSchema>;

const DAY_MS = 24 * 60 * 60 * 1000;

function appleRevocation(env: Environment) {
  const { APPLE_TEAM_ID: teamId, APPLE_KEY_ID: keyId, APPLE_PRIVATE_KEY: privateKey } = env;
  if (!teamId || !keyId || !privateKey) return undefined;
  return { apiUrl: env.APPLE_API_URL, teamId, keyId, privateKey };
}

function toConfig(env: Environment) {
  return {
    nodeEnv: env.NODE_ENV,
    isProduction: env.NODE_ENV === "production",
    logging: {
      level: env.LOG_LEVEL,
      pretty: (env.LOG_FORMAT ?? (env.NODE_ENV === "development" ? "pretty" : "json")) === "pretty",
    },
    database: {
      /** Unset outside production: the launcher starts an embedded Postgres. */
      url: env.DATABASE_URL,
      /**
       * For whatever needs a session of its own on the primary (LISTEN, session advisory locks,
       * migrations, pg-boss), which a pooler in transaction mode cannot give: DATABASE_URL when unset.
       */
      directUrl: env.DATABASE_DIRECT_URL ?? env.DATABASE_URL,
      /** Read replicas for the listing and statistics procedures; none: every read goes to the primary. */
      replicaUrls: env.DATABASE_REPLICA_URLS,
      /** A replica further behind the primary than this is skipped until it catches up. */
      replicaMaxLagMs: env.DATABASE_REPLICA_MAX_LAG_MS,
      poolSize: env.DATABASE_POOL_SIZE,
      embedded: { dataDir: path.resolve(REPOSITORY_ROOT, env.EMBEDDED_POSTGRES_DIR), port: env.EMBEDDED_POSTGRES_PORT },
    },
    server: {
      host: env.HOST,
      port: env.PORT,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      /** The whole stop (the drain, then the close) may take this long before the process exits anyway. */
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      /** Server processes serving the port (one: no supervising primary). */
      processes: env.WEB_CONCURRENCY,
      /** A stopping server's `/readyz` fails this long, while requests are still served, before it closes. */
      shutdownDrainMs: shutdownDrainMs(env),
      /** Whose X-Forwarded-For to believe for the client's address (the load balancer's). */
      trustProxy: env.TRUST_PROXY,
      /** Exact origins (scheme, host, port) whose pages may call the API. */
      corsOrigins: env.CORS_ORIGINS ?? (env.NODE_ENV === "production" ? [] : [DEVELOPMENT_CORS_ORIGINS]),
    },
    limits: {
      /** Sign-ins and refreshes per client address and minute, counted across every server process. */
      signInsPerMinute: env.RATE_LIMIT_SIGN_IN_PER_MINUTE,
      /** Mutations per user (or client address, signed out) and minute, counted per server process. */
      writesPerMinute: env.RATE_LIMIT_WRITES_PER_MINUTE,
      /** Calls of any kind per user (or client address) and minute, counted per server process. */
      callsPerMinute: env.RATE_LIMIT_CALLS_PER_MINUTE,
      /** Calls one batched tRPC request may carry. */
      maxBatchSize: env.TRPC_MAX_BATCH_SIZE,
    },
    auth: {
      jwtSecret: env.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
      kakaoApiUrl: env.KAKAO_API_URL,
      appleJwksUrl: env.APPLE_JWKS_URL,
      appleClientIds: env.APPLE_CLIENT_IDS,
      /** Set when the team id, key id and key are all given: Apple tokens are then revoked with the account. */
      appleRevocation: appleRevocation(env),
      devSignInEnabled: env.NODE_ENV !== "production",
      refreshTokens: {
        /** A refresh token unused this long expires. */
        idleMs: env.REFRESH_TOKEN_IDLE_DAYS * DAY_MS,
        /** A sign-in ends this long after it began, however often it was refreshed. */
        maxAgeMs: env.REFRESH_TOKEN_MAX_AGE_DAYS * DAY_MS,
        /** A rotated token presented again this soon (two tabs, a retry) gets the same successor instead of revoking the sign-in. */
        reuseIntervalMs: env.REFRESH_TOKEN_REUSE_SECONDS * 1000,
      },
      /** Each server re-reads the revoked sign-ins this often, in case it missed a notification. */
      revocationRecheckMs: env.ACCESS_REVOCATION_RECHECK_SECONDS * 1000,
    },
    openai: {
      apiKey: env.OPENAI_API_KEY,
      baseUrl: env.OPENAI_BASE_URL,
      model: env.OPENAI_MODEL,
      /** One model call may take this long before it counts as a failed attempt. */
      timeoutMs: env.OPENAI_TIMEOUT_MS,
      /** Model calls one analysis may make (invalid answers, 429s, 5xx and timeouts each take one). */
      maxAttempts: env.OPENAI_MAX_ATTEMPTS,
    },
    ai: {
      /** Analyses a user may start per day (counted in the database, in the user's time zone). */
      dailyQuota: env.AI_DAILY_QUOTA,
      /** Model calls in flight at once across every worker process. */
      concurrency: env.AI_CONCURRENCY,
      /** USD per million input and output tokens, by model: what the cost metrics and `admin.aiUsage` estimate with. */
      pricesPerMillionTokens: env.AI_PRICES,
    },
    metrics: {
      /** The server's Prometheus endpoint (GET /metrics on its own port, on HOST); undefined: off. */
      serverPort: env.METRICS_PORT || undefined,
      /** The worker's, likewise. */
      workerPort: env.WORKER_METRICS_PORT || undefined,
    },
    firebase: {
      /** Unset: pushes go to a log transport and are recorded as LOGGED. */
      serviceAccount: env.FIREBASE_SERVICE_ACCOUNT,
      /** Every Firebase call (OAuth token, sends, topic subscriptions) goes here instead of Google (tests, demo). */
      standInUrl: env.FCM_STAND_IN_URL,
    },
    slack: {
      /** Incoming webhook for ERROR-and-worse log lines; unset: no reports. */
      webhookUrl: env.SLACK_WEBHOOK_URL,
      /** The same error is reported at most once per this period, with a repeat count. */
      errorThrottleMs: env.SLACK_ERROR_THROTTLE_SECONDS * 1000,
      signingSecret: env.SLACK_SIGNING_SECRET,
      botToken: env.SLACK_BOT_TOKEN,
      apiUrl: env.SLACK_API_URL,
      adminUserIds: env.SLACK_ADMIN_USER_IDS,
    },
  };
}

export type AppConfig = ReturnType<typeof toConfig>;

/** Thrown when the environment is unusable; its message names every bad variable. */
export class ConfigError extends Error {
  readonly variables: string[];

  constructor(problems: { variable: string; message: string }[]) {
    super(
      "Invalid configuration:\n" +
        problems.map(({ variable, message }) => `  - ${variable}: ${message}`).join("\n") +
        "\nSee .env.example for every variable and its meaning.",
    );
    this.name = "ConfigError";
    this.variables = problems.map(({ variable }) => variable);
  }
}

/** Production never falls back to the development conveniences (embedded database, dev secret). */
const REQUIRED_IN_PRODUCTION = ["DATABASE_URL", "JWT_SECRET"] as const;

/** Reads and checks the environment once, at start-up. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = environmentSchema.safeParse(env);
  const problems = (parsed.error?.issues ?? []).map((issue) => ({
    variable: issue.path.join("."),
    message: issue.message,
  }));
  if (env.NODE_ENV === "production") {
    for (const variable of REQUIRED_IN_PRODUCTION) {
      if (!env[variable]?.trim()) problems.push({ variable, message: "is required in production" });
    }
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return toConfig(parsed.data);
}

/** The configuration of a process that connects to the database (server, worker). */
export type DatabaseAppConfig = AppConfig & { database: { url: string; directUrl: string } };

/** For a process's entry point: the reason a configuration is unusable, on standard error, and exit code 1. */
function exitOnConfigError<Config>(load: () => Config): Config {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

function withDatabaseUrl(config: AppConfig): DatabaseAppConfig {
  const url = config.database.url;
  if (!url) {
    throw new ConfigError([{ variable: "DATABASE_URL", message: "is not set (`npm start` runs the system on an embedded database)" }]);
  }
  return { ...config, database: { ...config.database, url, directUrl: config.database.directUrl ?? url } };
}

/** The checked configuration, or exit with the reason (for entry points). */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return exitOnConfigError(() => loadConfig(env));
}

/**
 * Like `loadConfigOrExit`, for a process that needs a database URL (server, worker): only
 * the launcher (`npm start`) provides an embedded one when it is unset.
 */
export function loadDatabaseConfigOrExit(env: NodeJS.ProcessEnv = process.env): DatabaseAppConfig {
  return exitOnConfigError(() => withDatabaseUrl(loadConfig(env)));
}
