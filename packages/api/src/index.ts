export { appRouter, type AppRouter } from "./root.ts";
export type { ApiDependencies, Context } from "./context.ts";
export { startNotificationFeed, type NotificationFeed } from "./notification-feed.ts";
