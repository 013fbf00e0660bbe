import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, expect, it } from "vitest";
import { packageOf, serverCodeIn } from "@daycarat/client/testing/server-code";
import { buildWebApp } from "../scripts/build-web-app.ts";

// The web app's production build: no server code in any chunk (as the client's own bundle
// check), and the size of what the first page (sign-in) downloads, printed for BENCHMARKS.md.

const outDir = await mkdtemp(path.join(tmpdir(), "daycarat-web-bundle-"));
afterAll(() => rm(outDir, { recursive: true, force: true }));

/** The modules bundled into each chunk, read from its source map. */
function modulesByChunk(): Map<string, string[]> {
  const assets = path.join(outDir, "assets");
  const maps = readdirSync(assets).filter((file) => file.endsWith(".js.map"));
  return new Map(
    maps.map((map) => {
      const { sources } = JSON.parse(readFileSync(path.join(assets, map), "utf8")) as { sources: string[] };
      return [`assets/${map.slice(0, -".map".length)}`, sources.map((source) => path.resolve(assets, source))];
    }),
  );
}

/** The files index.html loads before anything else: its scripts, module preloads and style sheets. */
function firstRouteFiles(): string[] {
  const html = readFileSync(path.join(outDir, "index.html"), "utf8");
  return ["index.html", ...[...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((match) => match[1] ?? "")];
}

const gzippedKb = (file: string) => gzipSync(readFileSync(path.join(outDir, file))).length / 1024;

it("builds without any server code, and reports what the first route weighs gzipped", { timeout: 120_000 }, async () => {
  await buildWebApp(outDir, { sourcemap: true });
  const chunks = modulesByChunk();
  const inputs = [...chunks.values()].flat();
  const packages = new Set(inputs.map(packageOf));
  for (const expected of ["@trpc/client", "@trpc/tanstack-react-query", "react-dom", "recharts"]) expect(packages).toContain(expected);
  expect(serverCodeIn(inputs)).toEqual({ packages: [], sources: [] });

  const files = firstRouteFiles();
  const firstRouteModules = files.flatMap((file) => chunks.get(file) ?? []);
  expect(firstRouteModules.map(packageOf)).toContain("react-dom");
  // The charts come with the statistics screen, not before.
  expect(firstRouteModules.map(packageOf)).not.toContain("recharts");
  const sizes = files.map((file) => ({ file, kb: gzippedKb(file) }));
  const total = sizes.reduce((sum, { kb }) => sum + kb, 0);
  console.log(
    `first route (/sign-in): ${total.toFixed(1)} kB gzipped (${sizes.map(({ file, kb }) => `${file} ${kb.toFixed(1)} kB`).join(", ")})`,
  );
});
