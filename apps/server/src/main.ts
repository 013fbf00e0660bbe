import { enableCompileCache } from "node:module";

// Compiling the modules (and stripping their types) is most of a start-up: Node's compile
// cache keeps the result between starts and for every process of a cluster. It applies only
// to modules loaded after it is on, hence the dynamic imports.
enableCompileCache();
const { startTracing } = await import("@daycarat/telemetry");
// Tracing starts before the server's modules load, so that its hook is in place when pg is first imported.
await startTracing("daycarat-server");
await import("./start.ts");
