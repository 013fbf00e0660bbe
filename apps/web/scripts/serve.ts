// Serves the built app (dist/, built first when missing) at http://localhost:5173 (WEB_PORT), as
// `npm start` runs it beside the server and the worker. SIGINT, SIGTERM or the launcher going
// away (its IPC channel closing) stops it.
import { existsSync } from "node:fs";
import path from "node:path";
import { build, preview } from "vite";
import { webOrigin, webPort } from "../origin.ts";

const root = path.join(import.meta.dirname, "..");
if (!existsSync(path.join(root, "dist", "index.html"))) await build({ root, logLevel: "warn" });
const server = await preview({ root, logLevel: "warn", preview: { port: webPort(), strictPort: true } });
console.log(`web app: ${webOrigin()}`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void server.close().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
process.once("disconnect", stop);
