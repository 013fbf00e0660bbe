import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyPluginCallback } from "fastify";
import { answerUnavailable } from "./error-answers.ts";

// A server stops in two phases. Draining (`drain`): `/readyz` answers 503 so that load balancers
// take the server out, while every request is still served. Closing (`close`): the listener
// closes, requests in flight finish and live streams end; a request that still arrives on an
// open connection is refused with a 503 of the API's own shape. In both phases each response
// closes its connection, so that keep-alive clients come back on a new one (through the
// balancer, to another server) instead of holding this one open.

export type StopPhase = "serving" | "draining" | "closing";

declare module "fastify" {
  interface FastifyInstance {
    /** Where the server is in its stop. */
    readonly stopPhase: StopPhase;
    /** The stop's first phase: for `ms`, `/readyz` fails while requests are still served. */
    drain(ms: number): Promise<void>;
  }
}

export const stopPhases: FastifyPluginCallback = (app, _options, done) => {
  let phase: StopPhase = "serving";
  app.decorate("stopPhase", { getter: () => phase });
  app.decorate("drain", async (ms: number) => {
    phase = "draining";
    if (ms === 0) return;
    app.log.info({ drainMs: ms }, "draining: /readyz answers 503 while requests are still served");
    await sleep(ms);
  });
  app.addHook("preClose", (hookDone) => {
    phase = "closing";
    hookDone();
  });
  // Callback hooks, not async ones: an async onSend here, resolving no payload, let Fastify write
  // some replies twice (ERR_HTTP_HEADERS_SENT, a 500 logged) under the database-outage test.
  app.addHook("onRequest", (request, reply, hookDone) => {
    if (phase === "closing") answerUnavailable(request, reply, "The server is stopping: try again");
    else hookDone();
  });
  app.addHook("onSend", (_request, reply, payload, hookDone) => {
    if (phase !== "serving") reply.header("connection", "close");
    hookDone(null, payload);
  });
  done();
};
// Installed on the server itself, not in a scope of its own.
Object.assign(stopPhases, { [Symbol.for("skip-override")]: true });
