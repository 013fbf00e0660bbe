import type { AppConfig } from "@daycarat/config";
import { startServer, startWorker, type AppProcess } from "./apps.ts";
import type { Cleanup } from "./cleanup.ts";
import { openDemoDatabase } from "./database.ts";
import { say } from "./print.ts";
import { startStandIns, type StandIns } from "./stand-ins.ts";

export interface RunningSystem {
  standIns: StandIns;
  server: AppProcess & { url: string };
  worker: AppProcess;
}

export interface SystemOptions {
  /** DATABASE_URL (a Postgres server to use instead of the embedded one), or the embedded one's settings. */
  database: AppConfig["database"];
  databaseName: string;
  /** Told about the server and the worker once they run (their logs explain a failure). */
  onAppStarted: (app: AppProcess) => void;
}

/** Step 1: the database, the stand-ins, then the real server and worker wired to them. */
export async function startSystem(cleanup: Cleanup, options: SystemOptions): Promise<RunningSystem> {
  const database = await openDemoDatabase(options.database, options.databaseName);
  if (database.stop) cleanup.add(database.stop.what, database.stop.run);
  say(`Postgres: ${database.description}, created fresh`);

  const standIns = await startStandIns((name, server, url) => {
    cleanup.add(`the ${name} stand-in`, () => server.close());
    say(`${name} stand-in (local, not ${name}) on ${url}`);
  });

  const appEnv = {
    NODE_ENV: "development",
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: "5",
    // The live feed is closed before the server stops, so nothing needs long to finish.
    SHUTDOWN_TIMEOUT_MS: "3000",
    ...standIns.appEnv,
  };
  const server = await startServer(appEnv);
  cleanup.add("the server", server.stop);
  options.onAppStarted(server);
  say(`server (apps/server) ready on ${server.url}: migrations applied, tRPC at /trpc, Slack at /slack/*`);

  const worker = await startWorker(appEnv);
  cleanup.add("the worker", worker.stop);
  options.onAppStarted(worker);
  say("worker (apps/worker) started: AI analysis, notifications, notices and topic sync queues");
  return { standIns, server, worker };
}
