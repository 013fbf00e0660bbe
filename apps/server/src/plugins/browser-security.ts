import fastifyCors from "@fastify/cors";
import type { FastifyInstance } from "fastify";
import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import helmet, { type HelmetOptions } from "helmet";
import type { AppConfig } from "@daycarat/config";

/** Headers a page's script may read from an answer (request id for support, and when to retry). */
const EXPOSED_HEADERS = ["x-request-id", "retry-after"];
/** Headers a page may send: the bearer token, JSON bodies, its own request id, tRPC's and EventSource's. */
const ALLOWED_HEADERS = ["authorization", "content-type", "x-request-id", "trpc-accept", "last-event-id"];

/**
 * What browsers need on every answer, registered on the root instance so that it covers every
 * route, errors and refusals included:
 * - CORS for the pages of `CORS_ORIGINS` only: their preflights for /trpc, /api/v1 and the live
 *   feed are answered, any other origin gets no Access-Control-Allow-Origin and the browser
 *   refuses. Sessions are bearer tokens, so credentials (cookies) are never allowed.
 * - Security headers (helmet): nosniff, no framing (X-Frame-Options and frame-ancestors), no
 *   referrer, HSTS in production, and a content security policy under which Swagger UI at /docs
 *   works (its scripts and styles are its own files; it draws icons from data: URLs). Helmet
 *   makes them once: @fastify/helmet built its middleware anew, parsing the policy, on every
 *   request.
 */
export async function registerBrowserSecurity(app: FastifyInstance, config: AppConfig): Promise<void> {
  await app.register(fastifyCors, {
    origin: config.server.corsOrigins,
    credentials: false,
    methods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
    // A bare OPTIONS (no Origin) is answered like any other, rather than with the plugin's own
    // plain-text 400, which is outside the API's error shape.
    strictPreflight: false,
  });
  const securityHeaders = helmetHeaders({
    contentSecurityPolicy: {
      directives: {
        "frame-ancestors": ["'none'"],
        // Over plain HTTP (development) upgrading would break the page's own requests.
        "upgrade-insecure-requests": config.isProduction ? [] : null,
      },
    },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    hsts: config.isProduction ? { maxAge: 365 * 24 * 60 * 60, includeSubDomains: true } : false,
  });
  app.addHook("onRequest", (_request, reply, done) => {
    void reply.headers(securityHeaders);
    done();
  });
}

/**
 * The headers helmet's middleware sets, asked of it once, on a response that is never sent: no
 * option above depends on the request (a directive that did, a nonce, would need the middleware
 * back), so every answer gets the same ones. Set on the reply rather than on Node's response,
 * they are written with Fastify's own headers, validated once.
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  helmet(options)(request, response, (error?: unknown) => {
    if (error !== undefined) throw new Error("helmet refused its options", { cause: error });
  });
  return Object.fromEntries(Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]));
}
