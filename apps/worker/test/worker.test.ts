import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabaseClient } from "@daycarat/db";
import {
  allJobs,
  deliverPushesJob,
  draftReminderJob,
  housekeepingJob,
  startJobQueue,
  sweepLostAnalysesJob,
  sweepStuckNoticesJob,
  syncNoticeTopicJob,
  weeklyReminderJob,
} from "@daycarat/jobs";
import { storedQueueNames, storedSchedules } from "@daycarat/jobs/testing";
import { captureLogs, createEmptyDatabase, startProcess, waitFor } from "@daycarat/testkit";

const WORKER_MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const DAY_MS = 24 * 60 * 60 * 1000;

// Two workers start together on a database nobody has touched: both migrate, both create
// the queues, and they share the work.
const { url: databaseUrl } = await createEmptyDatabase();
const workers = [1, 2].map(() => startProcess(WORKER_MAIN, { DATABASE_URL: databaseUrl, LOG_LEVEL: "info" }));
const db = createDatabaseClient(databaseUrl, { maxConnections: 2 });
afterAll(() => db.$disconnect());

describe("worker processes", () => {
  it("start together on an empty database", async () => {
    for (const worker of workers) {
      await expect.poll(() => worker.output(), { timeout: 30_000 }).toContain('"msg":"worker started"');
    }
    const expected = allJobs.flatMap((job) => [job.name, job.deadLetterQueue ?? []].flat());
    expect(await storedQueueNames(db)).toEqual(expected.sort());
    expect(await storedSchedules(db)).toEqual([
      { name: sweepLostAnalysesJob.name, cron: "*/5 * * * *", timezone: "Asia/Seoul" },
      { name: housekeepingJob.name, cron: "30 4 * * *", timezone: "Asia/Seoul" },
      { name: sweepStuckNoticesJob.name, cron: "*/5 * * * *", timezone: "Asia/Seoul" },
      { name: deliverPushesJob.name, cron: "* * * * *", timezone: "Asia/Seoul" },
      { name: syncNoticeTopicJob.name, cron: "*/5 * * * *", timezone: "Asia/Seoul" },
      { name: draftReminderJob.name, cron: "0 20 * * *", timezone: "Asia/Seoul" },
      { name: weeklyReminderJob.name, cron: "0 10 * * 1", timezone: "Asia/Seoul" },
    ]);
  });

  it("run housekeeping: expired sessions, old read notifications and detached analyses go, the rest stays", async () => {
    const now = Date.now();
    const user = await db.user.create({ data: { nickname: "지우" } });
    const session = (name: string, expiresAt: number) => ({
      userId: user.id,
      familyId: user.id,
      tokenHash: name.padEnd(64, "0"),
      expiresAt: new Date(expiresAt),
      // A session never outlives its sign-in: its idle expiry is capped by the family's.
      familyExpiresAt: new Date(expiresAt),
    });
    await db.session.createMany({ data: [session("expired", now - 1000), session("valid", now + DAY_MS)] });
    const notification = (key: string, readAt: number | null, createdAt: number) => ({
      userId: user.id,
      type: "WEEKLY_REMINDER" as const,
      category: "REMINDER" as const,
      title: "이번 주 경험을 기록해 볼까요?",
      body: "기록",
      dedupeKey: key,
      readAt: readAt === null ? null : new Date(readAt),
      createdAt: new Date(createdAt),
    });
    await db.notification.createMany({
      data: [
        notification("old-read", now - 100 * DAY_MS, now - 120 * DAY_MS),
        notification("recent-read", now - DAY_MS, now - 120 * DAY_MS),
        notification("old-unread", null, now - 120 * DAY_MS),
      ],
    });

    const tag = await db.activityTag.create({ data: { userId: user.id, name: "t", searchJamo: "t", searchInitials: "" } });
    const episode = await db.episode.create({ data: { userId: user.id, activityTagId: tag.id, title: "t", date: new Date() } });
    const gem = await db.gem.create({ data: { episodeId: episode.id, userId: user.id } });
    const analysis = (key: string, gemId: string | null, createdAt: number) => ({
      userId: user.id,
      gemId,
      gemVersion: 1,
      failureReason: key,
      createdAt: new Date(createdAt),
    });
    await db.analysis.createMany({
      data: [
        analysis("old-detached", null, now - 3 * DAY_MS),
        analysis("recent-detached", null, now - DAY_MS),
        analysis("old-attached", gem.id, now - 30 * DAY_MS),
      ],
    });

    // The API's side of the queue, started only now that the workers made the queues: it only enqueues.
    const jobs = await startJobQueue({ databaseUrl, runsMaintenance: false, logger: captureLogs().logger });
    afterAll(() => jobs.stop({ graceful: false }));
    await jobs.enqueueAlone(housekeepingJob, {});

    await waitFor(async () => ((await db.session.count()) === 1 ? true : undefined), 15_000, "the housekeeping job to run");
    expect((await db.session.findMany()).map((row) => row.tokenHash.replace(/0+$/, ""))).toEqual(["valid"]);
    const kept = await db.notification.findMany({ orderBy: { dedupeKey: "asc" } });
    expect(kept.map((row) => row.dedupeKey)).toEqual(["old-unread", "recent-read"]);
    const analyses = await db.analysis.findMany({ orderBy: { failureReason: "asc" } });
    expect(analyses.map((row) => row.failureReason)).toEqual(["old-attached", "recent-detached"]);
  });

  it("stop cleanly on SIGTERM", async () => {
    const started = Date.now();
    for (const worker of workers) worker.child.kill("SIGTERM");
    for (const worker of workers) expect((await worker.exited(10_000)).code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
