import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { weeklyReminderJob } from "@daycarat/jobs";
import { findJobs, startTestJobQueue } from "@daycarat/jobs/testing";
import { captureLogs, createTestDatabase, startProcess, waitFor } from "@daycarat/testkit";

// Two real worker processes share one database and both run pg-boss's cron: an occurrence of
// the weekly reminder becomes one job, handled by one of them, and each user is reminded once.

const WORKER_MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const OCCURRENCE_TIMEOUT_MS = 70_000;

const { db, url } = await createTestDatabase();
const workers = [1, 2].map(() => startProcess(WORKER_MAIN, { DATABASE_URL: url, LOG_LEVEL: "info" }));
const jobs = await startTestJobQueue({ databaseUrl: url, runsMaintenance: false, logger: captureLogs().logger });
afterAll(() => jobs.stop({ graceful: false }));

const weeklyJobs = async () => (await findJobs(db, weeklyReminderJob, {})).map(({ id, state }) => ({ id, state }));

/** The worker's log lines saying it handled a weekly reminder job. */
const handledIn = (output: string) =>
  output
    .split("\n")
    .filter((line) => line.includes('"msg":"weekly reminders sent"'))
    .map((line) => JSON.parse(line) as { jobId: string; usersReminded: number });

it(
  "runs an occurrence of the weekly reminder once, in one of two workers",
  async () => {
    const users = await db.user.createManyAndReturn({
      data: ["가을", "겨울", "봄"].map((nickname) => ({ nickname })),
      select: { id: true },
    });
    // Recorded an episode just now: not reminded.
    const recorded = await db.user.create({ data: { nickname: "기록함" } });
    const tag = await db.activityTag.create({
      data: { userId: recorded.id, name: "동아리", searchJamo: "ㄷㅗㅇㅇㅏㄹㅣ", searchInitials: "ㄷㅇㄹ" },
    });
    await db.episode.create({ data: { userId: recorded.id, activityTagId: tag.id, title: "발표", date: new Date() } });
    for (const worker of workers) {
      await expect.poll(() => worker.output(), { timeout: 30_000 }).toContain('"msg":"worker started"');
    }

    // Workers write the schedules when they start; from now on it fires every minute.
    await jobs.schedule(weeklyReminderJob, "* * * * *", "Asia/Seoul");
    const [job] = await waitFor(
      async () => {
        const jobs = await weeklyJobs();
        return jobs.length > 0 ? jobs : undefined;
      },
      OCCURRENCE_TIMEOUT_MS,
      "the schedule to fire",
    );
    // No next occurrence: whatever runs from here on belongs to this one.
    await jobs.unschedule(weeklyReminderJob);
    await waitFor(async () => ((await weeklyJobs()).every((row) => row.state === "completed") ? true : undefined));

    expect(await weeklyJobs()).toEqual([{ id: job?.id, state: "completed" }]);
    const entries = await db.notification.groupBy({ by: ["userId"], where: { type: "WEEKLY_REMINDER" }, _count: true });
    expect(entries.map((entry) => [entry.userId, entry._count]).sort()).toEqual(users.map((user) => [user.id, 1]).sort());
    await expect
      .poll(() => workers.flatMap((worker) => handledIn(worker.output())))
      .toEqual([expect.objectContaining({ jobId: job?.id, usersReminded: 3 })]);
    expect(workers.map((worker) => handledIn(worker.output()).length).sort()).toEqual([0, 1]);
  },
  OCCURRENCE_TIMEOUT_MS + 45_000,
);
