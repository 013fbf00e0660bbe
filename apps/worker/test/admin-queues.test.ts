import { afterAll, describe, expect, it } from "vitest";
import { errorCode } from "@daycarat/client";
import { allJobs, notifyUserJob, publishNoticeJob, startJobQueue } from "@daycarat/jobs";
import { startTestApi } from "@daycarat/server/testing";
import { captureLogs, waitFor } from "@daycarat/testkit";
import { startTestWorker } from "./test-worker.ts";

// admin.queues over HTTP, with a worker running pg-boss's monitor (which refreshes the counts).

const api = await startTestApi();
await startTestWorker(api.databaseUrl);
const jobs = await startJobQueue({ databaseUrl: api.databaseUrl, runsMaintenance: false, logger: captureLogs().logger });
afterAll(() => jobs.stop({ graceful: false }));

describe("admin.queues", () => {
  it("shows each queue's depth, deferred jobs and dead letters", async () => {
    const admin = await api.signInAdmin("queues-admin@daycarat.dev");
    const { userId } = await api.signIn("queues-user@daycarat.dev");
    // A notification held for an hour, and a notice job parked in its dead-letter queue.
    await jobs.enqueueAlone(
      notifyUserJob,
      {
        userId,
        type: "WEEKLY_REMINDER",
        category: "REMINDER",
        title: "이번 주 경험을 기록해 볼까요?",
        body: "한 줄이라도 좋아요.",
        data: {},
        dedupeKey: "queues-deferred",
      },
      { startAfter: new Date(Date.now() + 3_600_000) },
    );
    await jobs.deadLetter(api.db, publishNoticeJob, { noticeId: userId }, "test");

    const { queues } = await waitFor(
      async () => {
        const health = await admin.client.admin.queues.query();
        const personal = health.queues.find((queue) => queue.name === notifyUserJob.name);
        const notices = health.queues.find((queue) => queue.name === "notice.publish");
        return personal?.deferred === 1 && notices?.deadLetter?.waiting === 1 ? health : undefined;
      },
      30_000,
      "the monitor to count the jobs",
    );

    expect(queues.map((queue) => queue.name)).toEqual(allJobs.map((job) => job.name));
    expect(queues.find((queue) => queue.name === notifyUserJob.name)).toMatchObject({
      ready: 0,
      deferred: 1,
      deadLetter: { name: "notification.personal.dead", waiting: 0 },
    });
    expect(queues.find((queue) => queue.name === "reminder.weekly")?.deadLetter).toBeNull();
  });

  it("is for administrators only, and a revoked one is refused at once", async () => {
    const { client } = await api.signIn("queues-not-admin@daycarat.dev");
    expect(errorCode(await client.admin.queues.query().catch((error: unknown) => error))).toBe("FORBIDDEN");
    expect(
      errorCode(
        await api
          .anonymous()
          .admin.queues.query()
          .catch((error: unknown) => error),
      ),
    ).toBe("UNAUTHORIZED");

    const admin = await api.signInAdmin("queues-revoked@daycarat.dev");
    await admin.client.admin.queues.query();
    await api.db.user.update({ where: { id: admin.userId }, data: { role: "USER" } });
    // The access token still says ADMIN; the database does not.
    expect(errorCode(await admin.client.admin.queues.query().catch((error: unknown) => error))).toBe("FORBIDDEN");
  });
});
