import { httpSubscriptionLink, type TRPCLink } from "@trpc/client";
import { EventSource, type FetchLike } from "eventsource";
import type { AppRouter } from "@daycarat/api";
import type { TokenStore } from "./token-store.ts";

/** An access token this close to its expiry is refreshed first: it must still hold on arrival. */
const EXPIRY_MARGIN_MS = 30_000;

/** Whether an access token (a JWT) expires within the margin; the server judges any token this cannot read. */
function expiresSoon(accessToken: string): boolean {
  try {
    const payload = (accessToken.split(".")[1] ?? "").replaceAll("-", "+").replaceAll("_", "/");
    const { exp } = JSON.parse(atob(payload)) as { exp?: unknown };
    return typeof exp === "number" && exp * 1000 - EXPIRY_MARGIN_MS <= Date.now();
  } catch {
    return false;
  }
}

export interface SubscriptionLinkOptions {
  url: string;
  tokens: TokenStore;
  /** Refreshes the session; false when it could not. */
  refresh: () => Promise<boolean>;
  fetch?: typeof fetch;
}

/**
 * Subscriptions over server-sent events. A browser's EventSource cannot send headers, so the
 * `eventsource` ponyfill connects through a fetch that adds the access token, read afresh at
 * every (re)connection and refreshed first when it has expired: a subscription outlives its
 * first token, and cannot be repeated from the start like a call (the refresh link's way).
 */
export function subscriptionLink(options: SubscriptionLinkOptions): TRPCLink<AppRouter> {
  const { tokens } = options;
  const authorizedFetch: FetchLike = async (url, init) => {
    const current = (await tokens.get())?.accessToken;
    if (current !== undefined && expiresSoon(current)) await options.refresh();
    const accessToken = (await tokens.get())?.accessToken;
    const headers = accessToken ? { ...init.headers, authorization: `Bearer ${accessToken}` } : init.headers;
    return (options.fetch ?? fetch)(url, { ...init, headers });
  };
  return httpSubscriptionLink({ url: options.url, EventSource, eventSourceOptions: { fetch: authorizedFetch } });
}
