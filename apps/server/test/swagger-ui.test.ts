import { mkdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { launchChromium } from "@daycarat/testkit/chromium";
import { startTestApi } from "./test-server.ts";

// Swagger UI at /docs in a real headless Chromium, used as a mobile developer would: authorize
// with a development access token, try GET /me, and see the caller's own profile come back.

const SCREENSHOT = path.join(import.meta.dirname, "artifacts", "swagger-ui.png");

const api = await startTestApi();

describe("Swagger UI at /docs", () => {
  it("authorizes with a development token and runs GET /me for that user", { timeout: 60_000 }, async () => {
    const { tokens } = await api.signIn("swagger@daycarat.dev", "Jiwoo from Swagger");
    const accessToken = (await tokens.get())?.accessToken ?? "";
    const browser = await launchChromium();
    afterAll(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    // The page must work offline: it may load nothing but the server's own assets.
    const foreignRequests: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(api.url) && !request.url().startsWith("data:")) foreignRequests.push(request.url());
    });

    // The server's content security policy must not block any part of the page.
    const blocked: string[] = [];
    page.on("console", (message) => {
      if (message.text().includes("Content Security Policy")) blocked.push(message.text());
    });

    await page.goto(`${api.url}/docs`);
    await page.locator(".info .title", { hasText: "DayCarat API" }).waitFor();

    await page.locator(".auth-wrapper button.authorize").click();
    const dialog = page.locator(".dialog-ux");
    await dialog.locator("input").fill(accessToken);
    await dialog.locator("button.authorize").click();
    // Once authorized, the dialog offers to log out instead.
    await dialog.locator("button", { hasText: "Logout" }).waitFor();
    await dialog.locator("button.btn-done").click();

    // "Try it out" is on from the start (tryItOutEnabled), so an expanded operation can run at once.
    const getMe = page.locator("#operations-Me-me-get");
    await getMe.locator(".opblock-summary").click();
    await getMe.locator("button.execute").click();
    const liveResponse = getMe.locator(".live-responses-table .response");
    await liveResponse.waitFor();
    expect(await liveResponse.locator(".response-col_status").textContent()).toContain("200");
    const shownBody = (await liveResponse.locator(".response-col_description").textContent()) ?? "";
    expect(shownBody).toContain("swagger@daycarat.dev");
    expect(shownBody).toContain("Jiwoo from Swagger");
    expect(foreignRequests).toEqual([]);
    expect(blocked).toEqual([]);

    rmSync(SCREENSHOT, { force: true });
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await liveResponse.scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOT });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(0);
  });
});
