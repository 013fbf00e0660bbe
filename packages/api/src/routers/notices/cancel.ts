import { z } from "zod";
import { cancelNotice } from "@daycarat/domain";
import { id } from "../../schemas/common.ts";
import { adminProcedure } from "../../trpc.ts";
import { managedNotice, toManagedNotice } from "./notice.ts";

export const cancelNoticeInput = z.object({ id });

/** Cancels a scheduled notice before it is published; CONFLICT once publishing has begun. */
export const cancel = adminProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/notices/{id}/cancel",
      summary: "Cancel a scheduled notice (admins)",
      tags: ["Notices"],
      protect: true,
      refusals: ["CONFLICT"],
    },
  })
  .input(cancelNoticeInput)
  .output(managedNotice)
  .mutation(async ({ ctx, input }) => toManagedNotice(await cancelNotice(ctx, input.id)));
