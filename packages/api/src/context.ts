import type { AppConfig } from "@daycarat/config";
import type { DatabaseClient } from "@daycarat/db";
import type { LogMethods } from "@daycarat/logger";

/** What every procedure can reach; built once per process and per request by the server. */
export interface ApiDependencies {
  config: AppConfig;
  db: DatabaseClient;
}

export interface Context extends ApiDependencies {
  /** The request's logger: its lines carry the request id. */
  log: LogMethods;
}
