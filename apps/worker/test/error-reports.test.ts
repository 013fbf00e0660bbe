import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { publishNoticeJob } from "@daycarat/jobs";
import { startTestJobQueue } from "@daycarat/jobs/testing";
import { captureLogs, createTestDatabase, startFakeSlack, startProcess, waitFor } from "@daycarat/testkit";

// A real worker process reports a job that failed for good to the Slack webhook stand-in,
// naming the queue and the job; a job that pg-boss will retry is only a warning.

const WORKER_MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const slack = await startFakeSlack();
const { url } = await createTestDatabase();
const worker = startProcess(WORKER_MAIN, { DATABASE_URL: url, LOG_LEVEL: "info", SLACK_WEBHOOK_URL: slack.webhookUrl });
await waitFor(() => Promise.resolve(worker.output().includes('"msg":"worker started"') || undefined), 30_000, "the worker to start");
const jobs = await startTestJobQueue({ databaseUrl: url, runsMaintenance: false, logger: captureLogs().logger });
afterAll(() => jobs.stop({ graceful: false }));

it("reports a job that failed on its last attempt, with queue and job id, and not one that will be retried", async () => {
  // A payload off the contract fails validation: once with a retry left, once on its last attempt.
  const retried = await jobs.sendUnchecked(publishNoticeJob.name, { noticeId: "not-a-uuid" }, { retryLimit: 1, retryDelay: 3_600 });
  const final = await jobs.sendUnchecked(publishNoticeJob.name, { noticeId: "also-not-a-uuid" }, { retryLimit: 0 });

  const [report] = await waitFor(() => Promise.resolve(slack.webhookPosts.length > 0 ? slack.webhookPosts : undefined), 15_000, "a report");
  expect(report).toContain("*ERROR* in *worker*: job failed for good");
  expect(report).toContain(`job \`notice.publish\` (${final ?? "?"})`);
  expect(report).toContain("noticeId");
  await waitFor(() => Promise.resolve(worker.output().includes(`"jobId":"${retried ?? "?"}"`) || undefined));
  const retriedLine =
    worker
      .output()
      .split("\n")
      .find((line) => line.includes(`"jobId":"${retried ?? "?"}"`)) ?? "";
  expect(JSON.parse(retriedLine)).toMatchObject({ level: 40, msg: "job failed; pg-boss retries it", attempt: 1, of: 2 });
  expect(slack.webhookPosts.join("\n")).not.toContain(retried ?? "?");
});
