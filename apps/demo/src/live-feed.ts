import type { DayCaratClient, RouterOutputs } from "@daycarat/client";
import type { Cleanup } from "./cleanup.ts";
import { announce, say } from "./print.ts";
import { pollUntil } from "./wait.ts";

type Notification = RouterOutputs["notifications"]["list"]["items"][number];

export interface LiveFeed {
  /** Resolves with the first entry heard that `matches`, however long ago it arrived. */
  waitFor: (matches: (entry: Notification) => boolean, what: string) => Promise<Notification>;
}

/**
 * Step 4: subscribes to `notifications.onNew` over server-sent events and prints each entry
 * the moment it arrives. Resolves once the server accepted the subscription: from then on no
 * entry can be missed. Closed before the server stops.
 */
export async function openLiveFeed(client: DayCaratClient, cleanup: Cleanup): Promise<LiveFeed> {
  const heard: Notification[] = [];
  let started = false;
  let failure: Error | undefined;
  const subscription = client.notifications.onNew.subscribe(undefined, {
    onStarted: () => (started = true),
    onData: ({ id, data }) => {
      heard.push(data);
      announce(`live feed, entry #${id}: [${data.category}] ${data.title} — ${data.body}`);
    },
    onError: (error) => (failure = error),
  });
  cleanup.add("the live feed", () => {
    subscription.unsubscribe();
    return Promise.resolve();
  });
  const ended = () => {
    if (failure) throw new Error(`the live feed ended: ${failure.message}`, { cause: failure });
  };
  await pollUntil(() => {
    ended();
    return started || undefined;
  }, "the live feed to start");
  say("subscribed to notifications.onNew (server-sent events): new inbox entries are printed as they arrive, marked ⚡");
  return {
    waitFor: (matches, what) =>
      pollUntil(() => {
        ended();
        return heard.find(matches);
      }, what),
  };
}
