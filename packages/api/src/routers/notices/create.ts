import { z } from "zod";
import { createNotice, noticeFields } from "@daycarat/domain";
import { isoDateTime } from "../../schemas/common.ts";
import { adminProcedure } from "../../trpc.ts";
import { managedNotice, toManagedNotice } from "./notice.ts";

export const createNoticeInput = z.object({
  // The same rules as the Slack form's.
  title: noticeFields.title,
  body: noticeFields.body,
  /** Also push it to every device that takes notices (one FCM topic message); in-app either way. */
  push: z.boolean().default(true),
  /** When to publish; absent: at once. Its window is checked only once it is an instant at all. */
  scheduledAt: isoDateTime
    .transform((at) => new Date(at))
    .pipe(noticeFields.scheduledAt)
    .optional(),
});

/** Writes a notice, published at once or at `scheduledAt` by the worker. */
export const create = adminProcedure
  .meta({ openapi: { method: "POST", path: "/notices", summary: "Write a notice (admins)", tags: ["Notices"], protect: true } })
  .input(createNoticeInput)
  .output(managedNotice)
  .mutation(async ({ ctx, input }) => {
    const notice = await createNotice(ctx, {
      title: input.title,
      body: input.body,
      push: input.push,
      scheduledAt: input.scheduledAt ?? null,
      author: { source: "API", userId: ctx.user.userId },
    });
    return toManagedNotice(notice);
  });
