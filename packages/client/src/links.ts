import type { TRPCLink } from "@trpc/client";
import { observable, type Unsubscribable } from "@trpc/server/observable";
import type { AppRouter } from "@daycarat/api";
import { errorCode } from "./errors.ts";
import type { SessionTokens, TokenStore } from "./token-store.ts";

const SIGN_IN_PATHS = new Set(["auth.kakao", "auth.apple", "auth.dev", "auth.refresh"]);
const SIGN_OUT_PATHS = new Set(["auth.signOut", "me.delete"]);

/** Saves the session a sign-in or refresh returns, and forgets it on sign-out and account deletion. */
export function sessionLink(tokens: TokenStore): TRPCLink<AppRouter> {
  const save = async (path: string, data: unknown) => {
    if (SIGN_IN_PATHS.has(path)) {
      const { accessToken, refreshToken } = data as SessionTokens;
      await tokens.set({ accessToken, refreshToken });
    } else if (SIGN_OUT_PATHS.has(path)) {
      await tokens.set(null);
    }
  };
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        // The caller hears of the result (and of completion) only once the store has it.
        let saved = Promise.resolve();
        return next(op).subscribe({
          next: (result) => {
            saved = saved
              .then(() => save(op.path, result.result.data))
              .then(() => {
                observer.next(result);
              })
              .catch((error: unknown) => {
                observer.error(error as never);
              });
          },
          error: (error) => {
            void saved.then(() => {
              observer.error(error);
            });
          },
          complete: () => {
            void saved.then(() => {
              observer.complete();
            });
          },
        });
      });
}

/**
 * On UNAUTHORIZED, refreshes the access token once and repeats the call. Concurrent failures
 * share one refresh; a call that failed with a token already replaced is simply repeated.
 * Subscriptions refresh their token themselves (see subscription-link.ts).
 */
export function refreshLink(tokens: TokenStore, refresh: () => Promise<boolean>): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        let attempt: Unsubscribable | undefined;
        let cancelled = false;
        const run = async (retried: boolean): Promise<void> => {
          const used = (await tokens.get())?.accessToken;
          if (cancelled) return;
          attempt = next(op).subscribe({
            next: (result) => {
              observer.next(result);
            },
            complete: () => {
              observer.complete();
            },
            error: (error) => {
              void (async () => {
                const mayRetry = !retried && used !== undefined && !op.path.startsWith("auth.") && op.type !== "subscription";
                if (mayRetry && errorCode(error) === "UNAUTHORIZED") {
                  const replaced = (await tokens.get())?.accessToken !== used;
                  if (replaced || (await refresh())) return run(true);
                }
                observer.error(error);
              })();
            },
          });
        };
        void run(false);
        return () => {
          cancelled = true;
          attempt?.unsubscribe();
        };
      });
}
