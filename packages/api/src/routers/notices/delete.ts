import { z } from "zod";
import { deleteNotice as deleteNoticeInDomain } from "@daycarat/domain";
import { id } from "../../schemas/common.ts";
import { adminProcedure } from "../../trpc.ts";

export const deleteNoticeInput = z.object({ id });

/** Deletes a notice in any status: users stop seeing it, and a scheduled one is never sent. */
export const deleteNotice = adminProcedure
  .meta({ openapi: { method: "DELETE", path: "/notices/{id}", summary: "Delete a notice (admins)", tags: ["Notices"], protect: true } })
  .input(deleteNoticeInput)
  .output(z.object({ deleted: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    await deleteNoticeInDomain(ctx, input.id);
    return { deleted: true as const };
  });
