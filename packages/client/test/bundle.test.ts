import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { expect, it } from "vitest";

const ENTRY = fileURLToPath(new URL("../src/index.ts", import.meta.url));

// What a front end gets when it bundles the client: the API's types must vanish, its code
// (and the database, server and queue libraries behind it) must never ship to browsers.
const SERVER_PACKAGES = [/^@prisma\//, /^fastify$/, /^@fastify\//, /^pg$/, /^pg-boss$/, /^jose$/, /^zod$/];
const SERVER_SOURCES = /(^|[\\/])packages[\\/](api|db|config|jobs|logger|domain)[\\/]/;

/** The npm package a bundled file belongs to (pnpm paths also name peers, so take the last one). */
function packageOf(input: string): string | undefined {
  return /.*node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(input)?.[1]?.replace("\\", "/");
}

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
  const packages = new Set(inputs.map(packageOf).filter((name) => name !== undefined));
  expect(packages).toContain("@trpc/client");
  expect([...packages].filter((name) => SERVER_PACKAGES.some((pattern) => pattern.test(name)))).toEqual([]);
  expect(inputs.filter((input) => SERVER_SOURCES.test(input))).toEqual([]);
  const code = result.outputFiles[0]?.text ?? "";
  expect(code).not.toContain("PrismaClient");
  expect(code).toContain("/trpc");
});
