export * from "./generated/prisma/enums.ts";
export { Prisma } from "./generated/prisma/client.ts";
export type * from "./generated/prisma/models.ts";
export {
  createDatabaseClient,
  poolConnections,
  readRows,
  type DatabaseClient,
  type DatabaseClientOptions,
  type ExecutedQuery,
} from "./client.ts";
export { dropDatabase, ensureDatabase, withConnection } from "./admin.ts";
export { MIGRATIONS_DIR, checkDatabaseReadiness, migrateDatabase, readMigrations, type Readiness } from "./migrations.ts";
export { activityTagSearchColumns, activityTagSearchFilter, containsTextPattern } from "./text-search.ts";
export { isDatabaseUnavailable } from "./outage.ts";
export { listenToChannel, listenerApplicationName, type ChannelListener, type ChannelListenerOptions } from "./listen.ts";
export {
  REPLICA_READS_APPLICATION_NAME,
  startReadRouting,
  type ReadRouting,
  type ReadRoutingOptions,
  type Reader,
  type ReplicaState,
  type ReplicaStatus,
} from "./read-routing.ts";
