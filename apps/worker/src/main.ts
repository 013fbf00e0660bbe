import { startTracing } from "@daycarat/telemetry";

// Tracing starts before the worker's modules load, so that its hook is in place when pg is first imported.
await startTracing("daycarat-worker");
await import("./worker.ts");
