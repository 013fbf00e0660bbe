import { errorCode } from "@daycarat/client";
import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { showAlert } from "./alerts.ts";
import { koreanMessage } from "./errors.ts";

/** Only failures that may pass by themselves are worth repeating: no answer at all, or a server fault. */
function mayPassByItself(error: unknown): boolean {
  const code = errorCode(error);
  return code === undefined || code === "INTERNAL_SERVER_ERROR";
}

/** Rate limits and an unreachable server concern the whole app, not one field. */
function reportAppWide(error: unknown): void {
  const code = errorCode(error);
  if (code === undefined || code === "TOO_MANY_REQUESTS") showAlert(koreanMessage(error));
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: reportAppWide }),
    mutationCache: new MutationCache({ onError: reportAppWide }),
    defaultOptions: {
      // Offline, queries and mutations wait for the connection (TanStack Query's "online" mode).
      queries: { staleTime: 30_000, retry: (failures, error) => failures < 2 && mayPassByItself(error) },
      mutations: { retry: false },
    },
  });
}
