import { text } from "node:stream/consumers";
import { generateKeyPairSync, randomUUID, verify, type KeyObject } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { listenLocalServer, sendJson, type LocalServer } from "./local-server.ts";

// A local stand-in for Google's side of firebase-admin: the OAuth token endpoint
// (oauth2.googleapis.com), FCM HTTP v1 sends and topic subscriptions (fcm.googleapis.com).
// The SDK reaches it through its httpAgent (FCM_STAND_IN_URL); requests keep their Google
// Host header, so this server routes by host and path like the real services.

const PROJECT_ID = "daycarat-stand-in";

/** FCM v1 error statuses by error code, as the service answers them. */
const ERROR_STATUS = {
  UNREGISTERED: { http: 404, status: "NOT_FOUND" },
  INVALID_ARGUMENT: { http: 400, status: "INVALID_ARGUMENT" },
  QUOTA_EXCEEDED: { http: 429, status: "RESOURCE_EXHAUSTED" },
  UNAVAILABLE: { http: 503, status: "UNAVAILABLE" },
  INTERNAL: { http: 500, status: "INTERNAL" },
} as const;

export type FcmErrorCode = keyof typeof ERROR_STATUS;

/** A message as FCM received it (the `message` field of a v1 send). */
export interface ReceivedFcmMessage {
  token?: string;
  topic?: string;
  notification?: { title?: string; body?: string };
  data?: Record<string, string>;
}

export interface FakeFcm extends LocalServer {
  /** The service-account JSON the SDK signs its token requests with (FIREBASE_SERVICE_ACCOUNT). */
  serviceAccountJson: string;
  /** Sends that FCM accepted, in order of arrival. */
  delivered: ReceivedFcmMessage[];
  /** Every send received, accepted or not. */
  sendAttempts: ReceivedFcmMessage[];
  /** Tokens subscribed to each topic now. */
  topics: Map<string, Set<string>>;
  /** (Un)subscription calls received, in order. */
  topicRequests: { action: "subscribe" | "unsubscribe"; token: string; topic: string }[];
  /** Tokens FCM no longer knows: sends and subscriptions for them answer UNREGISTERED. */
  unregistered: Set<string>;
  /** Answers the next sends to `token` (or to any token, for "*") with these errors, one each. */
  failNext(token: string, ...errors: FcmErrorCode[]): void;
  /** Answers the next topic (un)subscription requests for `token` (or any, "*") with these errors, one each. */
  failNextTopicRequest(token: string, ...errors: FcmErrorCode[]): void;
  /** Answers every send and every topic (un)subscription request after this many milliseconds. */
  setLatencyMs(ms: number): void;
}

function sendFcmError(response: ServerResponse, code: FcmErrorCode): void {
  const { http, status } = ERROR_STATUS[code];
  sendJson(response, http, {
    error: {
      code: http,
      message: `stand-in: ${code}`,
      status,
      details: [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode: code }],
    },
  });
}

/** Checks the RS256 JWT the SDK signs with the service account's private key. */
function verifyAssertion(assertion: string, publicKey: KeyObject, clientEmail: string): boolean {
  const [header, payload, signature] = assertion.split(".");
  if (!header || !payload || !signature) return false;
  const valid = verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, "base64url"));
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { iss?: string; exp?: number };
  return valid && claims.iss === clientEmail && (claims.exp ?? 0) * 1000 > Date.now();
}

export async function listenFakeFcm(): Promise<FakeFcm> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const clientEmail = `push@${PROJECT_ID}.iam.gserviceaccount.com`;
  const accessTokens = new Set<string>();
  const scriptedSends = new Map<string, FcmErrorCode[]>();
  const scriptedTopicRequests = new Map<string, FcmErrorCode[]>();
  let latencyMs = 0;
  let messageNumber = 0;

  const state = {
    delivered: [] as ReceivedFcmMessage[],
    sendAttempts: [] as ReceivedFcmMessage[],
    topics: new Map<string, Set<string>>(),
    topicRequests: [] as FakeFcm["topicRequests"],
    unregistered: new Set<string>(),
  };

  function nextScriptedError(scripted: Map<string, FcmErrorCode[]>, token: string | undefined): FcmErrorCode | undefined {
    for (const key of [token ?? "", "*"]) {
      const queue = scripted.get(key);
      if (queue?.length) return queue.shift();
    }
    return undefined;
  }

  async function issueToken(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await text(request));
    const assertion = form.get("assertion") ?? "";
    if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer" || !verifyAssertion(assertion, publicKey, clientEmail)) {
      sendJson(response, 400, { error: "invalid_grant", error_description: "stand-in: bad assertion" });
      return;
    }
    const accessToken = `ya29.stand-in-${randomUUID()}`;
    accessTokens.add(accessToken);
    sendJson(response, 200, { access_token: accessToken, expires_in: 3600, token_type: "Bearer" });
  }

  async function handleSend(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { message } = JSON.parse(await text(request)) as { message: ReceivedFcmMessage };
    state.sendAttempts.push(message);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const error =
      (message.token && state.unregistered.has(message.token) ? "UNREGISTERED" : undefined) ??
      nextScriptedError(scriptedSends, message.token);
    if (error) {
      sendFcmError(response, error);
      return;
    }
    state.delivered.push(message);
    sendJson(response, 200, { name: `projects/${PROJECT_ID}/messages/${++messageNumber}` });
  }

  async function handleTopic(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const match = /^\/v1\/projects\/[^/]+\/registrations\/([^/]+)\/topicSubscriptions(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match?.[1]) {
      sendJson(response, 404, { error: { code: 404, message: "no such path", status: "NOT_FOUND" } });
      return;
    }
    const token = decodeURIComponent(match[1]);
    const subscribe = request.method === "POST";
    const topic = subscribe ? (url.searchParams.get("topic_name") ?? "") : decodeURIComponent(match[2] ?? "");
    state.topicRequests.push({ action: subscribe ? "subscribe" : "unsubscribe", token, topic });
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const error = state.unregistered.has(token) ? "UNREGISTERED" : nextScriptedError(scriptedTopicRequests, token);
    if (error) {
      sendFcmError(response, error);
      return;
    }
    const members = state.topics.get(topic) ?? new Set<string>();
    state.topics.set(topic, members);
    if (subscribe) members.add(token);
    else members.delete(token);
    sendJson(response, 200, {});
  }

  const server = await listenLocalServer(async (request, response) => {
    const host = (request.headers.host ?? "").split(":")[0];
    const url = new URL(request.url ?? "/", "http://stand-in");
    // The token exchange comes straight to this server (see createStandInCredential), not through the agent.
    if (url.pathname === "/token" && request.method === "POST") {
      await issueToken(request, response);
      return;
    }
    if (host !== "fcm.googleapis.com") {
      sendJson(response, 404, { error: { code: 404, message: `stand-in serves no host ${host ?? ""}` } });
      return;
    }
    const bearer = request.headers.authorization?.replace(/^Bearer /, "") ?? "";
    if (!accessTokens.has(bearer)) {
      sendJson(response, 401, { error: { code: 401, message: "stand-in: unknown access token", status: "UNAUTHENTICATED" } });
      return;
    }
    if (url.pathname === `/v1/projects/${PROJECT_ID}/messages:send` && request.method === "POST") {
      await handleSend(request, response);
      return;
    }
    await handleTopic(request, response, url);
  });

  return {
    ...server,
    ...state,
    serviceAccountJson: JSON.stringify({
      type: "service_account",
      project_id: PROJECT_ID,
      private_key_id: "stand-in",
      private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      client_email: clientEmail,
      token_uri: "https://oauth2.googleapis.com/token",
    }),
    failNext(token, ...errors) {
      scriptedSends.set(token, [...(scriptedSends.get(token) ?? []), ...errors]);
    },
    failNextTopicRequest(token, ...errors) {
      scriptedTopicRequests.set(token, [...(scriptedTopicRequests.get(token) ?? []), ...errors]);
    },
    setLatencyMs(ms) {
      latencyMs = ms;
    },
  };
}
