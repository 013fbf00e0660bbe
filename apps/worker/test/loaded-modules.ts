import { registerHooks } from "node:module";

// Loaded with `--import` into a server or worker under test: prints each OpenTelemetry SDK
// module the process loads, so that a test can tell whether tracing brought its SDK in.
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (resolved.url.includes("/@opentelemetry/sdk-")) process.stderr.write(`loaded module: ${resolved.url}\n`);
    return resolved;
  },
});
