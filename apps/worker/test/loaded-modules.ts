import { registerHooks } from "node:module";

// Loaded with `--import` into a server or worker under test: prints each module it loads of
// the SDKs a process should load only when it needs them (the OpenTelemetry SDK with tracing
// on, openai with the first analysis, firebase-admin with the first push), so that a test can
// tell whether and when they came in.
const WATCHED = ["/@opentelemetry/sdk-", "/openai/", "/firebase-admin/"];

registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (WATCHED.some((part) => resolved.url.includes(part))) process.stderr.write(`loaded module: ${resolved.url}\n`);
    return resolved;
  },
});
