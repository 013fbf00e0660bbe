import type { ServerResponse } from "node:http";
import { afterAll, expect, it } from "vitest";
import { startLocalServer } from "@daycarat/testkit";
import { launchChromium } from "@daycarat/testkit/chromium";
import { startTestApi } from "./test-server.ts";

// Cross-origin calls from pages in a real headless Chromium, as a web front end makes them: a
// tRPC mutation and a REST write with a bearer token (both preflighted), and the live feed as the
// client's EventSource opens it (a GET with the token, Accept: text/event-stream and Last-Event-ID).
// A page of CORS_ORIGINS gets its answers; a page of any other origin gets none.

const page = (response: ServerResponse) => {
  response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end("<!doctype html><meta charset=utf-8><title>app</title>");
};
const allowedSite = await startLocalServer((_request, response) => {
  page(response);
});
const otherSite = await startLocalServer((_request, response) => {
  page(response);
});
const api = await startTestApi({ CORS_ORIGINS: allowedSite.url });

interface Outcomes {
  trpc: string;
  rest: string;
  feed: string;
}

/** The three calls from a page; each outcome is the status and a piece of the answer, or the browser's refusal. */
function callFromPage({ apiUrl, token }: { apiUrl: string; token: string }): Promise<Outcomes> {
  const episode = { title: "브라우저에서", date: "2024-06-01", activityTag: "웹", contents: [{ type: "FREE", content: "CORS" }] };
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const outcome = (call: Promise<string>) => call.catch((error: unknown) => `refused: ${(error as Error).name}`);
  return Promise.all([
    outcome(
      fetch(`${apiUrl}/trpc/episodes.create`, { method: "POST", headers, body: JSON.stringify(episode) }).then(
        async (response) => `${response.status} ${(await response.text()).includes("브라우저에서")}`,
      ),
    ),
    outcome(
      fetch(`${apiUrl}/api/v1/episodes`, { method: "POST", headers, body: JSON.stringify(episode) }).then(
        async (response) => `${response.status} ${(await response.text()).includes("브라우저에서")}`,
      ),
    ),
    outcome(
      fetch(`${apiUrl}/trpc/notifications.onNew?input=%7B%7D`, {
        headers: { authorization: `Bearer ${token}`, accept: "text/event-stream", "last-event-id": "0193a0c4-0000-7000-8000-000000000000" },
      }).then(async (response) => {
        const reader = response.body?.getReader();
        const first = new TextDecoder().decode((await reader?.read())?.value);
        await reader?.cancel();
        return `${response.status} ${response.headers.get("content-type") ?? ""} ${first.includes("connected")}`;
      }),
    ),
  ]).then(([trpc, rest, feed]) => ({ trpc, rest, feed }));
}

it("serves a page of an allowed origin, and refuses a page of any other, on tRPC, REST and the live feed", {
  timeout: 60_000,
}, async () => {
  const { tokens, userId } = await api.signIn("browser@daycarat.dev");
  const token = (await tokens.get())?.accessToken ?? "";
  const browser = await launchChromium();
  afterAll(() => browser.close());
  const tab = await browser.newPage();

  await tab.goto(allowedSite.url);
  const allowed = await tab.evaluate(callFromPage, { apiUrl: api.url, token });
  expect(allowed).toEqual({ trpc: "200 true", rest: "200 true", feed: "200 text/event-stream true" });
  expect(await api.db.episode.count({ where: { userId } })).toBe(2);

  await tab.goto(otherSite.url);
  const refused = await tab.evaluate(callFromPage, { apiUrl: api.url, token });
  expect(refused).toEqual({ trpc: "refused: TypeError", rest: "refused: TypeError", feed: "refused: TypeError" });
  // The preflights failed, so the writes were never sent.
  expect(await api.db.episode.count({ where: { userId } })).toBe(2);
});
