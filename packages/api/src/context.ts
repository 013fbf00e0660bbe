import type { AppConfig } from "@daycarat/config";
import type { DatabaseClient, ReadRouting } from "@daycarat/db";
import type { JobQueue } from "@daycarat/jobs";
import type { RequestLog } from "@daycarat/logger";
import type { Caller } from "./auth/caller.ts";
import type { RevocationList } from "./auth/revocations.ts";
import type { NotificationFeed } from "./notification-feed.ts";

/** What every procedure can reach; built once per process by the server. */
export interface ApiDependencies {
  config: AppConfig;
  /** The primary: every write, every transaction, and every read but the replica-read procedures'. */
  db: DatabaseClient;
  /** Where the replica-read procedures read (packages/api/src/trpc.ts); the primary alone when no replicas are configured. */
  reads: ReadRouting;
  /** The job queue, used here only to enqueue (the worker runs the jobs). */
  jobs: JobQueue;
  /** Wakes live `notifications.onNew` subscriptions; one per process. */
  notificationFeed: NotificationFeed;
  /** The revoked sign-ins and users whose access tokens must stop early; one per process. */
  revocations: RevocationList;
}

export interface Context extends ApiDependencies {
  /** The request's logger: its lines carry the request id (and, once signed in, the user id). */
  log: RequestLog;
  /** The request's bearer token, verified once for all its calls; the procedures that need a user check it. */
  caller: Caller;
}
