import { activityTagsRouter } from "./routers/activity-tags/index.ts";
import { adminRouter } from "./routers/admin/index.ts";
import { authRouter } from "./routers/auth/index.ts";
import { devicesRouter } from "./routers/devices/index.ts";
import { episodesRouter } from "./routers/episodes/index.ts";
import { gemsRouter } from "./routers/gems/index.ts";
import { meRouter } from "./routers/me/index.ts";
import { noticesRouter } from "./routers/notices/index.ts";
import { notificationsRouter } from "./routers/notifications/index.ts";
import { preferencesRouter } from "./routers/preferences/index.ts";
import { statsRouter } from "./routers/stats/index.ts";
import { router } from "./trpc.ts";

/** The public API: every area of PRODUCT.md is a sub-router here. */
export const appRouter = router({
  auth: authRouter,
  me: meRouter,
  activityTags: activityTagsRouter,
  episodes: episodesRouter,
  stats: statsRouter,
  gems: gemsRouter,
  notifications: notificationsRouter,
  preferences: preferencesRouter,
  devices: devicesRouter,
  notices: noticesRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
