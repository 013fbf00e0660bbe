import { registerHooks } from "node:module";

// Loaded with `--import` into a server or worker under test: prints the first module it loads
// of each SDK a process should load only when it needs them (the OpenTelemetry SDK with tracing
// on, openai with the first analysis, firebase-admin with the first push), so that a test can
// tell whether and when it came in. Only the first: the SDKs are hundreds of modules each.
const unseen = new Set(["/@opentelemetry/sdk-", "/openai/", "/firebase-admin/"]);

registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    for (const sdk of unseen) {
      if (!resolved.url.includes(sdk)) continue;
      unseen.delete(sdk);
      process.stderr.write(`loaded module: ${resolved.url}\n`);
    }
    return resolved;
  },
});
