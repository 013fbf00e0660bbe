import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from "fastify";
import type { WebClient } from "@slack/web-api";
import type { ApiDependencies } from "@daycarat/api";
import { DomainError } from "@daycarat/domain";
import { handleNoticeCommand, handleNoticeInteraction, verifySlackRequest } from "@daycarat/slack";

const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return typeof value === "string" ? value : undefined;
};

/**
 * Slack's slash command (/slack/commands) and interactivity (/slack/interactions) endpoints
 * for managing notices. Every request must carry a valid signature over its raw body, a
 * timestamp within five minutes, and a signature not seen before; anything else is 401.
 * Encapsulated: the form parser that keeps the raw body applies to these routes only.
 */
export const slackRoutes: FastifyPluginCallback<ApiDependencies> = (app, deps, done) => {
  const { signingSecret, botToken, apiUrl, adminUserIds } = deps.config.slack;
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) => {
    done(null, body);
  });
  // The Web API client (~16 MB of modules) loads with the first Slack request, not in every
  // server process. No retries: Slack waits three seconds for the answer to a command.
  let slack: Promise<WebClient> | undefined;
  const slackClient = () =>
    (slack ??= import("@slack/web-api").then(
      ({ WebClient }) => new WebClient(botToken, { slackApiUrl: apiUrl, timeout: 2_500, retryConfig: { retries: 0 } }),
    ));

  async function verified(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!signingSecret || !botToken) {
      await reply.code(503).send({ error: "Slack is not configured (SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN)" });
      return;
    }
    const rawBody = typeof request.body === "string" ? request.body : "";
    const headers = { timestamp: header(request, "x-slack-request-timestamp"), signature: header(request, "x-slack-signature") };
    const verdict = await verifySlackRequest(deps.db, signingSecret, headers, rawBody);
    if (verdict !== "valid") {
      request.log.warn({ verdict }, "refused a Slack request");
      await reply.code(401).send({ error: verdict });
    }
  }

  const depsFor = async (request: FastifyRequest) => ({
    db: deps.db,
    jobs: deps.jobs,
    slack: await slackClient(),
    adminUserIds,
    log: request.log,
  });
  const form = (request: FastifyRequest) => new URLSearchParams(typeof request.body === "string" ? request.body : "");

  app.post("/slack/commands", { preHandler: verified }, async (request, reply) => {
    const answer = await handleNoticeCommand(await depsFor(request), form(request));
    return reply.send(answer ?? "");
  });

  app.post("/slack/interactions", { preHandler: verified }, async (request, reply) => {
    let payload: unknown;
    try {
      payload = JSON.parse(form(request).get("payload") ?? "");
    } catch {
      return reply.code(400).send({ error: "the payload field must be JSON" });
    }
    try {
      return await reply.send((await handleNoticeInteraction(await depsFor(request), payload)) ?? "");
    } catch (error) {
      if (error instanceof DomainError && error.code === "BAD_REQUEST") return reply.code(400).send({ error: error.message });
      throw error;
    }
  });
  done();
};
