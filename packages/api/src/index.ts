export { appRouter, type AppRouter } from "./root.ts";
export type { ApiDependencies, Context } from "./context.ts";
export { REVOCATION_CHANNEL, startRevocationList, type RevocationList } from "./auth/revocations.ts";
export { verifyAccessToken, type AccessTokenClaims } from "./auth/access-token.ts";
export { identifyCaller, type Caller } from "./auth/caller.ts";
export { startNotificationFeed, type NotificationFeed } from "./notification-feed.ts";
export { API_TAGS, type ApiMeta } from "./api-meta.ts";
export { openApiDocument, REST_BASE_PATH } from "./openapi.ts";
export { API_ERROR_CODES, apiErrorShape, type ApiErrorCode, type ApiErrorShape } from "./trpc.ts";
