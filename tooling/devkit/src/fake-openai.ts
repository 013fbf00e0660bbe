import { text } from "node:stream/consumers";
import type { ServerResponse } from "node:http";
import { listenLocalServer, sendJson, type LocalServer } from "./local-server.ts";

/** What the stand-in model does with one chat completion request. */
export type ModelReply =
  /** Calls the function with these arguments (a string is sent as it is: malformed JSON too). */
  | { toolCall: unknown; delayMs?: number; finishReason?: "tool_calls" | "stop" | "length"; name?: string }
  | { refusal: string }
  /** Answers with an HTTP error status, e.g. 429 with retry-after or 500. */
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** Never answers (the client's timeout must end the call). */
  | { hang: true };

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  tools?: { type: string; function: { name: string; parameters: Record<string, unknown>; strict?: boolean } }[];
  tool_choice?: unknown;
}

export interface FakeOpenAI extends LocalServer {
  /** Base URL for the SDK (`…/v1`). */
  baseUrl: string;
  /** The chat requests received, in order. */
  chats: ChatRequest[];
}

function completion(model: string, message: Record<string, unknown>, finishReason: string) {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      { index: 0, message: { role: "assistant", content: null, refusal: null, ...message }, finish_reason: finishReason, logprobs: null },
    ],
    usage: { prompt_tokens: 812, completion_tokens: 640, total_tokens: 1452 },
  };
}

async function reply(response: ServerResponse, chat: ChatRequest, answer: ModelReply): Promise<void> {
  if ("hang" in answer) return; // the socket stays open until the client gives up
  if ("status" in answer) {
    response.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    response.end(JSON.stringify(answer.body ?? { error: { message: `status ${answer.status}`, type: "server_error" } }));
    return;
  }
  if ("refusal" in answer) {
    sendJson(response, 200, completion(chat.model, { refusal: answer.refusal }, "stop"));
    return;
  }
  if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
  const name = answer.name ?? chat.tools?.[0]?.function.name ?? "unknown";
  const args = typeof answer.toolCall === "string" ? answer.toolCall : JSON.stringify(answer.toolCall);
  const toolCalls = [{ id: "call_1", type: "function", function: { name, arguments: args } }];
  sendJson(response, 200, completion(chat.model, { tool_calls: toolCalls }, answer.finishReason ?? "tool_calls"));
}

export type ModelScript = (chat: ChatRequest, index: number) => ModelReply;

/**
 * A local server speaking OpenAI's chat completions API (POST /v1/chat/completions), whose
 * answers the caller scripts: `script` gets each request and its index and says what to do.
 * Runs until `close()`; tests use `startFakeOpenAI`, which closes it after the file's tests.
 */
export async function listenFakeOpenAI(script: ModelScript): Promise<FakeOpenAI> {
  const chats: ChatRequest[] = [];
  const server = await listenLocalServer(async (request, response) => {
    if (request.method !== "POST" || request.url !== "/v1/chat/completions") {
      sendJson(response, 404, { error: { message: "not found" } });
      return;
    }
    const chat = JSON.parse(await text(request)) as ChatRequest;
    chats.push(chat);
    await reply(response, chat, script(chat, chats.length - 1));
  });
  return { ...server, baseUrl: `${server.url}/v1`, chats };
}
