import { text } from "node:stream/consumers";
import { listenLocalServer, sendJson, type LocalServer } from "./local-server.ts";

// A local stand-in for Slack: an incoming webhook (POST /webhook) and the Web API methods the
// system calls (POST /api/<method>), which @slack/web-api posts form-encoded with a bot token
// (SLACK_API_URL=<url>/api/). It records what it received and can play slow or down.

export const FAKE_SLACK_BOT_TOKEN = "xoxb-stand-in-token";

export interface SlackApiCall {
  method: string;
  /** The call's arguments; JSON-valued ones (a view, blocks) parsed. */
  args: Record<string, unknown>;
}

export interface FakeSlack extends LocalServer {
  webhookUrl: string;
  /** SLACK_API_URL for @slack/web-api. */
  apiUrl: string;
  /** Texts posted to the incoming webhook, in order. */
  webhookPosts: string[];
  apiCalls: SlackApiCall[];
  /** "up" answers; "slow" holds webhook posts open without answering; "down" answers 500. */
  setMode(mode: "up" | "slow" | "down"): void;
}

function parseArgs(body: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes("application/json")) return JSON.parse(body) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    try {
      args[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
    } catch {
      args[key] = value;
    }
  }
  return args;
}

export async function listenFakeSlack(): Promise<FakeSlack> {
  const webhookPosts: string[] = [];
  const apiCalls: SlackApiCall[] = [];
  let mode: "up" | "slow" | "down" = "up";
  let messageTs = 0;
  const server = await listenLocalServer(async (request, response) => {
    const body = await text(request);
    const path = new URL(request.url ?? "/", "http://stand-in").pathname;
    if (path === "/webhook" && request.method === "POST") {
      if (mode === "slow") return; // never answers; the client's timeout must end it
      if (mode === "down") {
        response.writeHead(500).end("stand-in: down");
        return;
      }
      webhookPosts.push((JSON.parse(body) as { text: string }).text);
      response.writeHead(200, { "content-type": "text/plain" }).end("ok");
      return;
    }
    const method = /^\/api\/([\w.]+)$/.exec(path)?.[1];
    if (!method) {
      sendJson(response, 404, { ok: false, error: "unknown_method" });
      return;
    }
    if (request.headers.authorization !== `Bearer ${FAKE_SLACK_BOT_TOKEN}`) {
      sendJson(response, 200, { ok: false, error: "invalid_auth" });
      return;
    }
    if (mode !== "up") {
      response.writeHead(500).end("stand-in: down");
      return;
    }
    const args = parseArgs(body, request.headers["content-type"]);
    apiCalls.push({ method, args });
    if (method === "views.open") sendJson(response, 200, { ok: true, view: { id: `V${apiCalls.length}`, ...(args.view as object) } });
    else if (method === "chat.postMessage")
      sendJson(response, 200, { ok: true, channel: args.channel, ts: `${Date.now() / 1000}.${++messageTs}` });
    else sendJson(response, 200, { ok: true });
  });
  return {
    ...server,
    webhookUrl: `${server.url}/webhook`,
    apiUrl: `${server.url}/api/`,
    webhookPosts,
    apiCalls,
    setMode(next) {
      mode = next;
    },
  };
}
