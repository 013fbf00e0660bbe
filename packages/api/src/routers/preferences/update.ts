import { z } from "zod";
import { requestNoticeTopicSync } from "@daycarat/domain";
import type { Prisma } from "@daycarat/db";
import { authedProcedure } from "../../trpc.ts";
import { preferences, preferencesSelect, timeOfDay, toPreferences } from "./preferences.ts";

const nonEmpty = (input: object) => Object.keys(input).length > 0;
const NAME_A_FIELD = "name at least one field to change";

export const updatePreferencesInput = z
  .object({
    aiResults: z.boolean(),
    notices: z.boolean(),
    reminders: z.boolean(),
    quietHours: z.object({ enabled: z.boolean(), start: timeOfDay, end: timeOfDay }).partial().refine(nonEmpty, NAME_A_FIELD),
  })
  .partial()
  .refine(nonEmpty, NAME_A_FIELD);

type UpdatePreferences = z.output<typeof updatePreferencesInput>;

/** The input's fields as the columns they are stored in; fields not given stay out. */
function toColumns({ quietHours, ...categories }: UpdatePreferences): Omit<Prisma.NotificationPreferenceUncheckedCreateInput, "userId"> {
  return {
    ...categories,
    quietHoursEnabled: quietHours?.enabled,
    quietHoursStart: quietHours?.start,
    quietHoursEnd: quietHours?.end,
  };
}

/**
 * Changes only the preferences given; the others keep their value (or default, on first use).
 * Notices arrive by topic, so switching them moves the user's devices on or off the topic.
 */
export const update = authedProcedure
  .meta({
    openapi: { method: "PATCH", path: "/preferences", summary: "Change notification preferences", tags: ["Preferences"], protect: true },
  })
  .input(updatePreferencesInput)
  .output(preferences)
  .mutation(async ({ ctx, input }) => {
    const columns = toColumns(input);
    const row = await ctx.db.$transaction(async (tx) => {
      // Scalar-only create and update keep this a single INSERT … ON CONFLICT, safe against a concurrent first use.
      const saved = await tx.notificationPreference.upsert({
        where: { userId: ctx.user.userId },
        create: { ...columns, userId: ctx.user.userId },
        update: columns,
        select: preferencesSelect,
      });
      if (input.notices !== undefined) await requestNoticeTopicSync(ctx.jobs, tx);
      return saved;
    });
    return toPreferences(row);
  });
