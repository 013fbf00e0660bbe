import { createTRPCClient, httpBatchLink, httpLink, splitLink, type TRPCClient } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@daycarat/api";
import { errorCode } from "./errors.ts";
import { refreshLink, sessionLink } from "./links.ts";
import { subscriptionLink } from "./subscription-link.ts";
import type { TokenStore } from "./token-store.ts";

export { errorCode, fieldIssues, isDayCaratError, type DayCaratError, type ErrorCode } from "./errors.ts";
export { memoryTokenStore, type SessionTokens, type TokenStore } from "./token-store.ts";
export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type DayCaratClient = TRPCClient<AppRouter>;

export interface DayCaratClientOptions {
  /** The server's base URL, e.g. https://api.daycarat.app */
  url: string;
  /** Where the session lives; the client keeps it up to date. */
  tokens: TokenStore;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
}

/** The typed DayCarat API for browsers, React Native and Node 22+. */
export function createDayCaratClient(options: DayCaratClientOptions): DayCaratClient {
  const trpcUrl = `${options.url.replace(/\/$/, "")}/trpc`;
  const { tokens } = options;
  const authorization = async () => {
    const accessToken = (await tokens.get())?.accessToken;
    return accessToken ? { authorization: `Bearer ${accessToken}` } : {};
  };

  // Refreshing goes through a client of its own, so it never loops through the refresh link.
  const refresher = createTRPCClient<AppRouter>({
    links: [sessionLink(tokens), httpLink({ url: trpcUrl, fetch: options.fetch })],
  });
  let refreshing: Promise<boolean> | undefined;
  const refresh = (): Promise<boolean> =>
    (refreshing ??= (async () => {
      const refreshToken = (await tokens.get())?.refreshToken;
      if (!refreshToken) return false;
      try {
        await refresher.auth.refresh.mutate({ refreshToken });
        return true;
      } catch (error) {
        // A rejected refresh token ends the session; a network failure keeps it for later.
        if (errorCode(error) === "UNAUTHORIZED") await tokens.set(null);
        return false;
      } finally {
        refreshing = undefined;
      }
    })());

  return createTRPCClient<AppRouter>({
    links: [
      refreshLink(tokens, refresh),
      sessionLink(tokens),
      splitLink({
        condition: (op) => op.type === "subscription",
        true: subscriptionLink({ url: trpcUrl, tokens, refresh, fetch: options.fetch }),
        // Calls made together share a request, at most as many as a server takes in one
        // (TRPC_MAX_BATCH_SIZE, 20 by default).
        false: httpBatchLink({ url: trpcUrl, headers: authorization, fetch: options.fetch, maxURLLength: 4_000, maxItems: 20 }),
      }),
    ],
  });
}
