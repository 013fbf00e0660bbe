import type { DatabaseClient, NoticeModel, NoticeStatus } from "@daycarat/db";
import { publishNoticeJob, type JobQueue } from "@daycarat/jobs";
import { DomainError } from "../errors.ts";

/** What every way of writing notices (the API, Slack) agrees on. */
export const NOTICE_LIMITS = {
  titleMaxChars: 100,
  bodyMaxChars: 5_000,
  /** A schedule this far in the past still counts as "now": the admin's clock or a slow form. */
  pastToleranceMs: 60_000,
  maxDaysAhead: 90,
} as const;

/** Who wrote a notice: a signed-in admin through the API, or a Slack user through the slash command. */
export type NoticeAuthor = { source: "API"; userId: string } | { source: "SLACK"; slackUserId: string };

export interface NoticeDraft {
  title: string;
  body: string;
  push: boolean;
  /** When to publish; absent or null: at once. */
  scheduledAt?: Date | null;
  author: NoticeAuthor;
}

interface NoticeDependencies {
  db: DatabaseClient;
  jobs: JobQueue;
}

const noticeNotFound = () => new DomainError("NOT_FOUND", "Notice not found");

/**
 * Creates a notice: the SCHEDULED row and the job that publishes it at its time, committed
 * together, so a notice is never left without its job nor a job without its notice. The one
 * way notices come to be, whether written in the API or in Slack.
 */
export async function createNotice(deps: NoticeDependencies, draft: NoticeDraft): Promise<NoticeModel> {
  const { author } = draft;
  return deps.db.$transaction(async (tx) => {
    const notice = await tx.notice.create({
      data: {
        title: draft.title,
        body: draft.body,
        push: draft.push,
        scheduledAt: draft.scheduledAt ?? null,
        source: author.source,
        authorId: author.source === "API" ? author.userId : null,
        authorSlackUserId: author.source === "SLACK" ? author.slackUserId : null,
      },
    });
    await deps.jobs.enqueue(tx, publishNoticeJob, { noticeId: notice.id }, { startAfter: notice.scheduledAt ?? new Date() });
    return notice;
  });
}

/**
 * Cancels a notice that has not started publishing, and its job with it. The status check and
 * the change are one statement, so a cancel racing the worker's claim either wins (nothing is
 * sent; a run already under way finds nothing to claim) or fails with CONFLICT.
 */
export async function cancelNotice(deps: NoticeDependencies, noticeId: string): Promise<NoticeModel> {
  const canceled = await deps.db.$transaction(async (tx) => {
    const [notice] = await tx.notice.updateManyAndReturn({
      where: { id: noticeId, status: "SCHEDULED" },
      data: { status: "CANCELED", canceledAt: new Date() },
    });
    if (notice) await deps.jobs.cancel(tx, publishNoticeJob, { noticeId });
    return notice;
  });
  if (canceled) return canceled;
  const notice = await deps.db.notice.findUnique({ where: { id: noticeId }, select: { status: true } });
  if (!notice) throw noticeNotFound();
  throw new DomainError("CONFLICT", `Only a scheduled notice can be canceled; this one is ${describe(notice.status)}`);
}

function describe(status: NoticeStatus): string {
  return status === "SENDING" ? "being sent" : status.toLowerCase();
}

/**
 * Deletes a notice whatever its status, and cancels its job: users stop seeing it, and a
 * scheduled one is never sent. A push already on its way cannot be called back.
 */
export async function deleteNotice(deps: NoticeDependencies, noticeId: string): Promise<void> {
  const count = await deps.db.$transaction(async (tx) => {
    const deleted = await tx.notice.deleteMany({ where: { id: noticeId } });
    if (deleted.count > 0) await deps.jobs.cancel(tx, publishNoticeJob, { noticeId });
    return deleted.count;
  });
  if (count === 0) throw noticeNotFound();
}
