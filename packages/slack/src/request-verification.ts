import { createHmac, timingSafeEqual } from "node:crypto";
import type { DatabaseClient } from "@daycarat/db";

/** Slack signs each request with its timestamp; older ones are refused, as Slack advises. */
export const SLACK_REQUEST_WINDOW_SECONDS = 5 * 60;

export type SlackVerdict = "valid" | "missing" | "stale" | "bad-signature" | "replayed";

export interface SlackRequestHeaders {
  timestamp: string | undefined;
  signature: string | undefined;
}

/** Slack's v0 signature: HMAC-SHA256 over `v0:<timestamp>:<raw body>` with the signing secret. */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${rawBody}`).digest("hex")}`;
}

function signatureMatches(expected: string, received: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks that a request comes from Slack, is recent, and was not handled before: the
 * signature over the raw body, a timestamp within five minutes, and a signature not seen
 * in that window (kept in Postgres, so a replay to another server process fails too).
 */
export async function verifySlackRequest(
  db: DatabaseClient,
  signingSecret: string,
  headers: SlackRequestHeaders,
  rawBody: string,
  now = Date.now(),
): Promise<SlackVerdict> {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) return "missing";
  const seconds = Number(timestamp);
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now / 1000 - seconds) > SLACK_REQUEST_WINDOW_SECONDS) return "stale";
  if (!signatureMatches(slackSignature(signingSecret, timestamp, rawBody), signature)) return "bad-signature";
  return (await rememberSignature(db, signature, now)) ? "valid" : "replayed";
}

/** Records a signature; false when it was already there. Drops those past the window meanwhile. */
async function rememberSignature(db: DatabaseClient, signature: string, now: number): Promise<boolean> {
  const windowStart = new Date(now - 2 * SLACK_REQUEST_WINDOW_SECONDS * 1000);
  await db.slackRequest.deleteMany({ where: { receivedAt: { lt: windowStart } } });
  const { count } = await db.slackRequest.createMany({ data: [{ signature }], skipDuplicates: true });
  return count === 1;
}
