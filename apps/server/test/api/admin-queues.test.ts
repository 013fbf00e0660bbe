import { afterAll, describe, expect, it } from "vitest";
import { allJobs, housekeepingJob, startJobQueue, weeklyReminderJob } from "@daycarat/jobs";
import { captureLogs } from "@daycarat/testkit";
import { startTestApi } from "../test-server.ts";

// admin.queues with no worker running: jobs stay where they are put, so the age of the oldest
// ready one (read at the call, unlike pg-boss's monitored counts) can be watched growing.

const api = await startTestApi();
const jobs = await startJobQueue({ databaseUrl: api.databaseUrl, runsMaintenance: false, logger: captureLogs().logger });
afterAll(() => jobs.stop({ graceful: false }));

describe("admin.queues", () => {
  it("gives the age of each queue's oldest ready job; a job deferred to later is not ready", async () => {
    const admin = await api.signInAdmin("queues-oldest@daycarat.dev");
    await jobs.enqueueAlone(housekeepingJob, {});
    await jobs.enqueueAlone(housekeepingJob, {}, { startAfter: new Date(Date.now() - 60_000) });
    await jobs.enqueueAlone(weeklyReminderJob, {}, { startAfter: new Date(Date.now() + 3_600_000) });

    const { queues } = await admin.client.admin.queues.query();
    const oldest = Object.fromEntries(queues.map((queue) => [queue.name, queue.oldestReadySeconds]));
    // Ready since its start time a minute ago, not since it was sent.
    expect(oldest[housekeepingJob.name]).toBeGreaterThanOrEqual(60);
    expect(oldest[housekeepingJob.name]).toBeLessThan(120);
    expect(oldest[weeklyReminderJob.name]).toBe(0);
    expect(Object.keys(oldest)).toEqual(allJobs.map((job) => job.name));
  });
});
