import { pick } from "es-toolkit/object/pick";
import { z } from "zod";
import { NoticeSource, NoticeStatus, type NoticeModel, type Prisma } from "@daycarat/db";
import { PUSH_TRANSPORT_NAMES } from "@daycarat/push";
import { id, isoDateTime } from "../../schemas/common.ts";

/** A notice as users read it: published ones only. */
export const publishedNotice = z.object({
  id,
  title: z.string(),
  body: z.string(),
  sentAt: isoDateTime,
});

export const publishedNoticeSelect = { id: true, title: true, body: true, sentAt: true } satisfies Prisma.NoticeSelect;

/** Users see SENT notices only: never scheduled, canceled or failed ones. */
export const published = { status: "SENT" } satisfies Prisma.NoticeWhereInput;

export function toPublishedNotice(row: Prisma.NoticeGetPayload<{ select: typeof publishedNoticeSelect }>): z.infer<typeof publishedNotice> {
  // publishNotice sets SENT and sentAt in one statement.
  if (!row.sentAt) throw new Error(`notice ${row.id} is SENT without sentAt`);
  return { ...row, sentAt: row.sentAt.toISOString() };
}

/** A notice as admins manage it: every status, with how its broadcast went. */
export const managedNotice = z.object({
  id,
  title: z.string(),
  body: z.string(),
  push: z.boolean(),
  source: z.enum(NoticeSource),
  authorId: id.nullable(),
  authorSlackUserId: z.string().nullable(),
  status: z.enum(NoticeStatus),
  /** Null: published at once. */
  scheduledAt: isoDateTime.nullable(),
  sentAt: isoDateTime.nullable(),
  canceledAt: isoDateTime.nullable(),
  /** FCM, or LOG where the worker has no push credentials; null without a push. */
  pushTransport: z.enum(PUSH_TRANSPORT_NAMES).nullable(),
  /** FCM's name for the topic message. */
  providerMessageId: z.string().nullable(),
  failureReason: z.string().nullable(),
  createdAt: isoDateTime,
});

export function toManagedNotice(notice: NoticeModel): z.infer<typeof managedNotice> {
  return {
    ...pick(notice, [
      "id",
      "title",
      "body",
      "push",
      "source",
      "authorId",
      "authorSlackUserId",
      "status",
      "providerMessageId",
      "failureReason",
    ]),
    pushTransport: managedNotice.shape.pushTransport.parse(notice.pushTransport),
    scheduledAt: notice.scheduledAt?.toISOString() ?? null,
    sentAt: notice.sentAt?.toISOString() ?? null,
    canceledAt: notice.canceledAt?.toISOString() ?? null,
    createdAt: notice.createdAt.toISOString(),
  };
}
