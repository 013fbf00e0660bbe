import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useTRPC } from "./trpc.ts";

/**
 * Listens to `notifications.onNew` while signed in: each new inbox entry refreshes the badge,
 * the inbox, and the episode, gem and statistics it may concern (an analysis just finished).
 * Nothing is polled; the client resumes the stream from its last entry after a disconnection.
 */
export function useLiveInbox(enabled: boolean): void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  useSubscription(
    trpc.notifications.onNew.subscriptionOptions(undefined, {
      enabled,
      onData: () => {
        for (const router of [trpc.notifications, trpc.gems, trpc.episodes, trpc.stats, trpc.me]) {
          void queryClient.invalidateQueries({ queryKey: router.pathKey() });
        }
      },
    }),
  );
}
