import type { DatabaseClient } from "@daycarat/db";
import { publishNoticeJob, type JobQueue } from "@daycarat/jobs";

const UNSETTLED = ["SCHEDULED", "SENDING"] as const;

/**
 * Fails the notices left SCHEDULED or SENDING whose publish job is gone: pg-boss dead-letters
 * a job by itself when its last attempt could not even run (the database down, its worker
 * dead), and the notice would wait for ever. A notice settles before its job completes, so a
 * notice still unsettled without a live job is stuck; the status check in the update keeps
 * one that settled meanwhile. Runs on a schedule; returns the ids it failed.
 */
export async function failStuckNotices(deps: { db: DatabaseClient; jobs: JobQueue }): Promise<string[]> {
  const unsettled = await deps.db.notice.findMany({ where: { status: { in: [...UNSETTLED] } }, select: { id: true } });
  const stuck = await deps.jobs.withoutLiveJob(
    publishNoticeJob,
    "noticeId",
    unsettled.map((notice) => notice.id),
  );
  if (stuck.length === 0) return [];
  const failed = await deps.db.notice.updateManyAndReturn({
    where: { id: { in: stuck }, status: { in: [...UNSETTLED] } },
    data: { status: "FAILED", failureReason: "PUBLISH_JOB_LOST" },
    select: { id: true },
  });
  return failed.map((notice) => notice.id);
}
