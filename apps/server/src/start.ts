import cluster from "node:cluster";
import { loadDatabaseConfigOrExit } from "@daycarat/config";
import { migrateDatabase } from "@daycarat/db/migrations";
import { primaryPrepared, superviseProcesses } from "@daycarat/lifecycle";
import { serveClusterMetrics } from "@daycarat/metrics/cluster";
import { createReportingLogger } from "@daycarat/slack/reporting";
import { stopTracing } from "@daycarat/telemetry";

// WEB_CONCURRENCY processes serve the port. With more than one, this process is their primary:
// it applies the migrations once while they start, then keeps them running (./serve.ts). It
// imports narrow entry points only (no Prisma client, no API): it serves nothing.

const config = loadDatabaseConfigOrExit();
// ERROR-and-worse lines also go to Slack when SLACK_WEBHOOK_URL is set.
const reporting = createReportingLogger("server", config);
const { logger } = reporting;

// Migrations take a session lock: on the primary itself, past any transaction pooler.
const migrate = () => migrateDatabase({ databaseUrl: config.database.directUrl, logger });

if (cluster.isPrimary && config.server.processes > 1) {
  const { processes, shutdownTimeoutMs, host } = config.server;
  const preparation = migrate();
  // One endpoint for the whole cluster: the serving processes report to it.
  const metrics = await serveClusterMetrics({ port: config.metrics.serverPort, host, logger });
  superviseProcesses({ processes, logger, stopTimeoutMs: shutdownTimeoutMs, preparation }, async () => {
    await metrics?.close();
    await reporting.flush();
    await stopTracing();
  });
} else {
  // Loading the modules (most of a start-up) overlaps the migrations, the primary's or its own.
  const [{ serve }] = await Promise.all([import("./serve.ts"), cluster.isPrimary ? migrate() : primaryPrepared()]);
  await serve(config, reporting);
}
