#!/usr/bin/env node
// Builds a Node app for running: its own code and the workspace packages it imports
// (TypeScript, source-first) bundled into JavaScript in the app's dist/, one chunk per dynamic
// import so that what loads late (tracing first, SDKs on first use) still loads late. A
// process started from the bundle strips no types, and so never loads Node's TypeScript
// stripper (18 MB of RSS per process), and loads a few chunks where it loaded some 170
// workspace modules one by one.
//
// Third-party packages are not bundled: each import becomes the relative path of the file
// Node itself would load, so every package runs as installed (its own files, conditions and
// native parts). `import.meta.url` keeps naming the source file, so paths computed from it
// (migrations, the repository root) stay right. Both are paths relative to dist/: a bundle works
// in its checkout, or in a copy of the whole checkout.
//
//   bundle-node-app src/main.ts        (an app's `build` script; writes dist/main.mjs)
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { argv, cwd, exit } from "node:process";
import * as esbuild from "esbuild";

const WORKSPACE_SCOPE = "@daycarat/";

/** A specifier as written in `from` (a folder) naming `target`: "./x.js" or "../../y.js". */
function relativeSpecifier(from: string, target: string): string {
  const relative = path.relative(from, target).split(path.sep).join("/");
  return relative.startsWith("../") ? relative : `./${relative}`;
}

/** Third-party imports stay imports, of the exact file Node would resolve them to. */
function keepThirdPartyExternal(outdir: string): esbuild.Plugin {
  return {
    name: "keep-third-party-external",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.path.startsWith(WORKSPACE_SCOPE) || args.pluginData === "resolving") return undefined;
        if (args.path.startsWith("node:")) return { path: args.path, external: true };
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: "resolving" });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        return { path: relativeSpecifier(outdir, resolved.path), external: true };
      });
    },
  };
}

/** Every chunk sits in `outdir`, so "the source file's URL" is a fixed relative URL from it. */
function keepSourceUrls(outdir: string): esbuild.Plugin {
  return {
    name: "keep-source-urls",
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        const source = await readFile(args.path, "utf8");
        const sourceUrl = `new URL(${JSON.stringify(relativeSpecifier(outdir, args.path))}, import.meta.url).href`;
        return { contents: source.replaceAll("import.meta.url", sourceUrl), loader: "ts" };
      });
    },
  };
}

async function bundleNodeApp(entry: string, outdir: string): Promise<void> {
  await rm(outdir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: { main: entry },
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node24",
    // As Node resolves packages without an exports map: "main", not "module".
    mainFields: ["main"],
    sourcemap: "linked",
    logLevel: "warning",
    plugins: [keepThirdPartyExternal(outdir), keepSourceUrls(outdir)],
  });
}

const [entry] = argv.slice(2);
if (!entry) {
  console.error("usage: bundle-node-app <entry.ts>   (writes dist/main.mjs in the current package)");
  exit(2);
}
await bundleNodeApp(path.resolve(entry), path.resolve(cwd(), "dist"));
