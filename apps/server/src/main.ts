import { startTracing } from "@daycarat/telemetry";

// Tracing starts before the server's modules load, so that its hook is in place when pg is first imported.
await startTracing("daycarat-server");
await import("./server.ts");
