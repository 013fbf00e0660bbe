import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { notifyUserJob, startJobQueue } from "@daycarat/jobs";
import { findJobs } from "@daycarat/jobs/testing";
import { startTestApi } from "@daycarat/server/testing";
import { captureLogs, startFakeFcm, startProcess, waitFor } from "@daycarat/testkit";
import { aiResult, fcmEnv, pushReadyUser } from "./push-kit.ts";

// A worker killed (SIGKILL) while it holds a batch of personal notifications, its FCM call
// unanswered: the batch's heartbeat stops, and another worker runs it again within about half
// a minute, well before the job's 2-minute expiry would have let it go.

const WORKER_MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
/** Less than the job's expiry (120 s) and the retry delay after it: only the heartbeat brings it back this soon. */
const TAKEN_OVER_WITHIN_MS = 75_000;

const fcm = await startFakeFcm();
const api = await startTestApi();
const jobs = await startJobQueue({ databaseUrl: api.databaseUrl, runsMaintenance: false, logger: captureLogs().logger });
afterAll(() => jobs.stop({ graceful: false }));
const workerEnv = { DATABASE_URL: api.databaseUrl, LOG_LEVEL: "info", ...fcmEnv(fcm) };

it(
  "runs again, on another worker, the batch of personal notifications a killed worker held",
  async () => {
    const { userId } = await pushReadyUser(api, "crash-push@x.dev", ["fcm:crash-phone"]);
    const first = startProcess(WORKER_MAIN, workerEnv);
    await expect.poll(() => first.output(), { timeout: 30_000 }).toContain('"msg":"worker started"');
    // FCM holds the send: the worker is in the middle of the batch when it dies.
    fcm.setLatencyMs(600_000);
    const jobId = await jobs.enqueueAlone(notifyUserJob, aiResult(userId, "crash-1"));
    await waitFor(async () => ((await findJobs(api.db, notifyUserJob, { id: jobId ?? "" }))[0]?.state === "active" ? true : undefined));
    first.child.kill("SIGKILL");
    await first.exited();
    fcm.setLatencyMs(0);

    startProcess(WORKER_MAIN, workerEnv);
    const [job] = await waitFor(
      async () => {
        const found = await findJobs(api.db, notifyUserJob, { id: jobId ?? "" });
        return found[0]?.state === "completed" ? found : undefined;
      },
      TAKEN_OVER_WITHIN_MS,
      "the killed worker's notification job to be run again",
    );
    expect(job).toMatchObject({ state: "completed", retryCount: 1 });
    const deliveries = await api.db.notificationDelivery.findMany({ where: { notification: { userId, dedupeKey: "crash-1" } } });
    expect(deliveries.map((delivery) => delivery.status)).toEqual(["SENT"]);
  },
  TAKEN_OVER_WITHIN_MS + 60_000,
);
