import { UNREACHED_RATE_LIMITS } from "@daycarat/devkit";

export interface SystemSettings {
  databaseUrl: string;
  /** The model's base URL, …/v1. */
  modelBaseUrl: string;
  aiConcurrency: number;
  /** Analyses one user may start per day: above what the run submits, so the quota never refuses. */
  aiDailyQuota: number;
}

/** Server and worker read the same settings, as in a deployment: both are the real entry points. */
export function systemEnvironment(settings: SystemSettings): NodeJS.ProcessEnv {
  return {
    // `test`, not production: auth.dev must work, and nothing else differs for this workload.
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    LOG_FORMAT: "json",
    DATABASE_URL: settings.databaseUrl,
    OPENAI_API_KEY: "sk-benchmark",
    OPENAI_BASE_URL: settings.modelBaseUrl,
    AI_CONCURRENCY: String(settings.aiConcurrency),
    AI_DAILY_QUOTA: String(settings.aiDailyQuota),
    // The run measures analyses, not the limits on abuse: every user signs in from this one
    // address at once, and submits and polls as fast as it can.
    ...UNREACHED_RATE_LIMITS,
  };
}
