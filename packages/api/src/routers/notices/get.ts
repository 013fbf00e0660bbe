import { z } from "zod";
import { noticeNotFound } from "../../errors.ts";
import { id } from "../../schemas/common.ts";
import { authedProcedure } from "../../trpc.ts";
import { published, publishedNotice, publishedNoticeSelect, toPublishedNotice } from "./notice.ts";

export const getNoticeInput = z.object({ id });

/** One published notice; a scheduled, canceled or failed one is NOT_FOUND, like an unknown id. */
export const get = authedProcedure
  .meta({ openapi: { method: "GET", path: "/notices/{id}", summary: "One published notice", tags: ["Notices"], protect: true } })
  .input(getNoticeInput)
  .output(publishedNotice)
  .query(async ({ ctx, input }) => {
    const notice = await ctx.db.notice.findFirst({ where: { id: input.id, ...published }, select: publishedNoticeSelect });
    if (!notice) throw noticeNotFound();
    return toPublishedNotice(notice);
  });
