import type { DatabaseAppConfig } from "@daycarat/config";
import type { DatabaseClient } from "@daycarat/db";
import {
  createAnalysisModel,
  createConcurrencySlots,
  deleteExpiredData,
  deliverDuePushes,
  failLostAnalyses,
  failStuckNotices,
  notifyUsers,
  publishNotice,
  runAnalysis,
  sendDraftReminders,
  sendWeeklyReminders,
  subscribeDevices,
  syncNoticeTopic,
} from "@daycarat/domain/worker";
import {
  analyzeGemJob,
  deliverPushesJob,
  draftReminderJob,
  housekeepingJob,
  notifyUserJob,
  publishNoticeJob,
  subscribeDeviceJob,
  sweepLostAnalysesJob,
  sweepStuckNoticesJob,
  syncNoticeTopicJob,
  weeklyReminderJob,
  type JobQueue,
} from "@daycarat/jobs";
import type { Logger } from "@daycarat/logger";
import type { WorkerMetrics } from "@daycarat/metrics";
import { createPushTransport } from "@daycarat/push/fcm";

export interface WorkerDependencies {
  config: DatabaseAppConfig;
  jobs: JobQueue;
  db: DatabaseClient;
  logger: Logger;
  /** Unset: metrics off. */
  metrics?: WorkerMetrics;
}

/** Wires each queue to the domain function that handles its jobs; returns how to release what they hold. */
export async function registerHandlers({ config, jobs, db, logger, metrics }: WorkerDependencies): Promise<{ close: () => Promise<void> }> {
  const { apiKey, baseUrl, model, timeoutMs, maxAttempts } = config.openai;
  if (!apiKey) logger.warn("OPENAI_API_KEY is not set: every analysis will fail at once with AI_NOT_CONFIGURED");
  const slots = createConcurrencySlots({
    // Session advisory locks: a connection of its own, never a transaction pooler's.
    databaseUrl: config.database.directUrl,
    limit: config.ai.concurrency,
    maxHolders: config.ai.concurrency,
  });
  const analysisModel = apiKey ? createAnalysisModel({ apiKey, baseUrl, model, timeoutMs }) : undefined;
  const runner = {
    db,
    jobs,
    model: analysisModel && metrics ? metrics.measuredModel(analysisModel) : analysisModel,
    slots,
    maxAttempts,
    logger,
  };

  // Each user's analyses run one at a time (their jobs share the user's group); the slots
  // cap model calls across all workers. NOTIFY only announces new jobs: a poller that just
  // finished one, or a retry coming due, waits for the next poll. pg-boss's 30 s drained a
  // backlog of 500 at 0.7 analyses/s (BENCHMARKS.md); a poll every 0.5 s costs each idle
  // poller two indexed queries a second.
  await jobs.work(analyzeGemJob, (payload, job) => runAnalysis(runner, payload.analysisId, job.signal), {
    localConcurrency: config.ai.concurrency,
    groupConcurrency: 1,
    pollingIntervalSeconds: 0.5,
    notifyPollingIntervalSeconds: 0.5,
  });
  await jobs.work(sweepLostAnalysesJob, async () => {
    const failed = await failLostAnalyses(runner);
    if (failed > 0) logger.warn({ failed }, "failed analyses whose job was lost");
  });
  const transport = createPushTransport(config.firebase, logger);
  const notifications = {
    db,
    jobs,
    push: metrics ? metrics.measuredTransport(transport) : transport,
    countPushes: metrics?.countPushes,
  };
  // A batch shares one transaction and FCM calls of 500 pushes, and a backlog (a burst of
  // notifications) is fetched without waiting out the poll: one job per fetch drained 16 a
  // second per worker, batches of 100 about 4,500 pushes/s, of 500 about 5,500 (BENCHMARKS.md).
  await jobs.workBatches(
    notifyUserJob,
    async (payloads) => {
      await notifyUsers(notifications, payloads);
    },
    { batchSize: 500, localConcurrency: 4, pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5 },
  );
  await jobs.work(
    deliverPushesJob,
    async (payload, job) => {
      const tally = await deliverDuePushes(notifications, payload.notificationId ? { notificationIds: [payload.notificationId] } : {});
      if (tally.sent + tally.failed + tally.retrying > 0) logger.info({ jobId: job.id, queue: job.name, ...tally }, "pushes delivered");
    },
    { localConcurrency: 2, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 },
  );
  await jobs.work(
    syncNoticeTopicJob,
    async (_payload, job) => {
      const tally = await syncNoticeTopic(notifications);
      logger.info({ jobId: job.id, queue: job.name, ...tally }, "notices topic synced");
      // Failed tokens stay pending; failing the job lets pg-boss retry it with backoff.
      if (tally.retrying > 0) throw new Error(`${tally.retrying} topic (un)subscriptions failed and wait for a retry`);
    },
    { pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 },
  );
  // Registrations arrive one by one, or in a burst (an app release): a batch shares one FCM call.
  await jobs.workBatches(
    subscribeDeviceJob,
    async (payloads) => {
      const tally = await subscribeDevices(
        notifications,
        payloads.map((payload) => payload.deviceId),
      );
      if (tally.retrying > 0) throw new Error(`${tally.retrying} topic subscriptions failed and wait for a retry`);
    },
    { batchSize: 100, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 },
  );
  await jobs.work(
    publishNoticeJob,
    async (payload, job) => {
      // A retryable push failure is thrown so that pg-boss retries with backoff; on the job's
      // last attempt publishNotice records FAILED instead.
      const outcome = await publishNotice(notifications, payload.noticeId, { finalAttempt: job.lastAttempt });
      logger.info({ jobId: job.id, queue: job.name, noticeId: payload.noticeId, ...outcome }, "notice publishing settled");
    },
    { pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 },
  );
  await jobs.work(sweepStuckNoticesJob, async () => {
    const noticeIds = await failStuckNotices(notifications);
    // ERROR: this is what reaches Slack, and someone should look at why the job was lost.
    if (noticeIds.length > 0) logger.error({ noticeIds }, "failed notices whose publish job was lost");
  });
  await jobs.work(weeklyReminderJob, async (_payload, job) => {
    const tally = await sendWeeklyReminders(notifications);
    logger.info({ jobId: job.id, queue: job.name, ...tally }, "weekly reminders sent");
  });
  await jobs.work(draftReminderJob, async (_payload, job) => {
    const tally = await sendDraftReminders(notifications);
    logger.info({ jobId: job.id, queue: job.name, ...tally }, "draft reminders sent");
  });
  await jobs.work(housekeepingJob, async (_payload, job) => {
    const deleted = await deleteExpiredData(db);
    logger.info({ jobId: job.id, queue: job.name, ...deleted }, "housekeeping done");
  });
  return {
    close: async () => {
      await slots.close();
      await notifications.push.close();
    },
  };
}
