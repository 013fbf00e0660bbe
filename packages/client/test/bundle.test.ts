import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { expect, it } from "vitest";
import { packageOf, serverCodeIn } from "./server-code.ts";

const ENTRY = fileURLToPath(new URL("../src/index.ts", import.meta.url));

// What a front end gets when it bundles the client: the API's types must vanish, its code
// (and the database, server and queue libraries behind it) must never ship to browsers.
// apps/web/test/bundle.test.ts checks the web app's own build the same way.

it("bundles for the browser without any server code", async () => {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: "browser",
    format: "esm",
    minify: true,
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.map(packageOf)).toContain("@trpc/client");
  expect(serverCodeIn(inputs)).toEqual({ packages: [], sources: [] });
  const code = result.outputFiles[0]?.text ?? "";
  expect(code).not.toContain("PrismaClient");
  expect(code).toContain("/trpc");
});
