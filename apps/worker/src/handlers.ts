import type { PgBoss } from "pg-boss";
import type { DatabaseAppConfig } from "@daycarat/config";
import type { DatabaseClient } from "@daycarat/db";
import {
  createAnalysisModel,
  createConcurrencySlots,
  deleteExpiredData,
  failLostAnalyses,
  recordNotification,
  runAnalysis,
  type ConcurrencySlots,
} from "@daycarat/domain";
import { analyzeGemJob, housekeepingJob, notifyUserJob, sweepLostAnalysesJob, work } from "@daycarat/jobs";
import type { Logger } from "@daycarat/logger";

export interface WorkerDependencies {
  config: DatabaseAppConfig;
  boss: PgBoss;
  db: DatabaseClient;
  logger: Logger;
}

/** Wires each queue to the domain function that handles its jobs; returns what to close on stop. */
export async function registerHandlers({ config, boss, db, logger }: WorkerDependencies): Promise<{ slots: ConcurrencySlots }> {
  const { apiKey, baseUrl, model, timeoutMs, maxAttempts } = config.openai;
  if (!apiKey) logger.warn("OPENAI_API_KEY is not set: every analysis will fail at once with AI_NOT_CONFIGURED");
  const slots = createConcurrencySlots({
    databaseUrl: config.database.url,
    limit: config.ai.concurrency,
    maxHolders: config.ai.concurrency,
  });
  const runner = {
    db,
    jobs: boss,
    model: apiKey ? createAnalysisModel({ apiKey, baseUrl, model, timeoutMs }) : undefined,
    slots,
    maxAttempts,
    logger,
  };

  // Each user's analyses run one at a time (their jobs share the user's group); the slots
  // cap model calls across all workers. NOTIFY only announces new jobs: a poller that just
  // finished one, or a retry coming due, waits for the next poll. pg-boss's 30 s drained a
  // backlog of 500 at 0.7 analyses/s (BENCHMARKS.md); a poll every 0.5 s costs each idle
  // poller two indexed queries a second.
  await work(boss, analyzeGemJob, (payload, job) => runAnalysis(runner, payload.analysisId, job.signal), {
    localConcurrency: config.ai.concurrency,
    groupConcurrency: 1,
    pollingIntervalSeconds: 0.5,
    notifyPollingIntervalSeconds: 0.5,
  });
  await work(boss, sweepLostAnalysesJob, async () => {
    const failed = await failLostAnalyses(runner);
    if (failed > 0) logger.warn({ failed }, "failed analyses whose job was lost");
  });
  await work(boss, notifyUserJob, async (payload) => {
    await recordNotification(db, payload);
  }, { localConcurrency: 4, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 });
  await work(boss, housekeepingJob, async (_payload, job) => {
    const deleted = await deleteExpiredData(db);
    logger.info({ jobId: job.id, queue: job.name, ...deleted }, "housekeeping done");
  });
  return { slots };
}
