import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { freePort } from "@daycarat/testkit";
import { listenWebApp } from "../scripts/static-server.ts";

// The static server `npm start` runs for the built app, over HTTP, on a build of two files.

const dir = await mkdtemp(path.join(tmpdir(), "daycarat-web-static-"));
afterAll(() => rm(dir, { recursive: true, force: true }));
await mkdir(path.join(dir, "assets"));
await writeFile(path.join(dir, "index.html"), '<!doctype html><meta charset="UTF-8" /><div id="root"></div>');
await writeFile(path.join(dir, "assets", "index-Bx7d1.js"), "console.log('app');");

const port = await freePort();
const server = await listenWebApp(dir, port);
afterAll(() => server.close());
const origin = `http://localhost:${port}`;
const asBrowser = { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } };

describe("the built web app's server", () => {
  it("answers a page the app's router draws with index.html, to revalidate", async () => {
    for (const page of ["/", "/episodes/0195f0e2-8f3c-7c4a-9d55-3f1a2b3c4d5e/gem", "/sign-in"]) {
      const response = await fetch(`${origin}${page}`, asBrowser);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/html");
      expect(response.headers.get("cache-control")).toBe("no-cache");
      expect(await response.text()).toContain('<div id="root">');
    }
  });

  it("serves a hashed asset as immutable, and a repeat with its ETag as 304", async () => {
    const response = await fetch(`${origin}/assets/index-Bx7d1.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("javascript");
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await response.text()).toBe("console.log('app');");
    const etag = response.headers.get("etag") ?? "";
    expect(etag).not.toBe("");
    expect((await fetch(`${origin}/assets/index-Bx7d1.js`, { headers: { "if-none-match": etag } })).status).toBe(304);
  });

  it("answers 404, not the page, for a file that is not there", async () => {
    const missing = await fetch(`${origin}/assets/index-old.js`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("Not found");
    expect((await fetch(`${origin}/favicon.ico`, { headers: { accept: "image/*" } })).status).toBe(404);
  });

  it("never serves a file outside its folder", async () => {
    const outside = path.join(path.dirname(dir), `${path.basename(dir)}-outside.txt`);
    await writeFile(outside, "secret");
    onTestFinished(() => rm(outside));
    for (const attempt of [`/..%2f${path.basename(outside)}`, `/%2e%2e/${path.basename(outside)}`]) {
      const response = await fetch(`${origin}${attempt}`, asBrowser);
      expect(await response.text()).not.toContain("secret");
    }
  });
});
