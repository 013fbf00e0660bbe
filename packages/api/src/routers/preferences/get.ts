import { authedProcedure } from "../../trpc.ts";
import { preferences, preferencesSelect, toPreferences } from "./preferences.ts";

/** The caller's notification preferences; a user who never set any gets (and keeps) the defaults. */
export const get = authedProcedure
  .meta({
    openapi: { method: "GET", path: "/preferences", summary: "Your notification preferences", tags: ["Preferences"], protect: true },
  })
  .output(preferences)
  .query(async ({ ctx }) => {
    // Creating the row if missing as INSERT … ON CONFLICT DO NOTHING keeps concurrent first
    // reads from colliding: an upsert with nothing to update is not run as one statement.
    await ctx.db.notificationPreference.createMany({ data: [{ userId: ctx.user.userId }], skipDuplicates: true });
    const row = await ctx.db.notificationPreference.findUniqueOrThrow({ where: { userId: ctx.user.userId }, select: preferencesSelect });
    return toPreferences(row);
  });
