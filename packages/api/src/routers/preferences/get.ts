import { authedProcedure } from "../../trpc.ts";
import { preferences, preferencesSelect, toPreferences } from "./preferences.ts";

/** The caller's notification preferences; a user who never set any gets (and keeps) the defaults. */
export const get = authedProcedure
  .meta({ openapi: { method: "GET", path: "/preferences", summary: "Your notification preferences", tags: ["Preferences"], protect: true } })
  .output(preferences)
  .query(async ({ ctx }) => {
    // An upsert on the primary key runs as one INSERT … ON CONFLICT, so concurrent first reads cannot collide.
    const row = await ctx.db.notificationPreference.upsert({
      where: { userId: ctx.user.userId },
      create: { userId: ctx.user.userId },
      update: {},
      select: preferencesSelect,
    });
    return toPreferences(row);
  });
