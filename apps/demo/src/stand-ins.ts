import { randomBytes } from "node:crypto";
import {
  FAKE_SLACK_BOT_TOKEN,
  listenFakeFcm,
  listenFakeOpenAI,
  listenFakeSlack,
  type FakeFcm,
  type FakeOpenAI,
  type FakeSlack,
  type LocalServer,
} from "@daycarat/devkit";
import { SAMPLE_AI_ANSWER, SAMPLE_SLACK } from "./sample-data.ts";

// Local servers speaking OpenAI's, FCM's and Slack's real wire protocols, so that the real
// SDKs inside the server and the worker talk to them unchanged. They answer at once.

export interface StandIns {
  openai: FakeOpenAI;
  fcm: FakeFcm;
  slack: FakeSlack;
  /** The secret Slack would sign its requests with; the demo made it up and signs with it. */
  slackSigningSecret: string;
  /** What the server and the worker need to use the stand-ins instead of the real services. */
  appEnv: Record<string, string>;
}

/** Starts the three stand-ins; each is handed to `onStarted` (to print it and close it later) as soon as it listens. */
export async function startStandIns(onStarted: (name: string, server: LocalServer, url: string) => void): Promise<StandIns> {
  // Whatever the worker asks, the model calls the function with the sample answer.
  const openai = await listenFakeOpenAI(() => ({ toolCall: SAMPLE_AI_ANSWER }));
  onStarted("OpenAI", openai, openai.baseUrl);
  const fcm = await listenFakeFcm();
  onStarted("FCM", fcm, fcm.url);
  const slack = await listenFakeSlack();
  onStarted("Slack", slack, slack.url);
  const slackSigningSecret = randomBytes(16).toString("hex");
  return {
    openai,
    fcm,
    slack,
    slackSigningSecret,
    appEnv: {
      OPENAI_API_KEY: "sk-demo-stand-in",
      OPENAI_BASE_URL: openai.baseUrl,
      FIREBASE_SERVICE_ACCOUNT: fcm.serviceAccountJson,
      FCM_STAND_IN_URL: fcm.url,
      SLACK_API_URL: slack.apiUrl,
      SLACK_BOT_TOKEN: FAKE_SLACK_BOT_TOKEN,
      SLACK_SIGNING_SECRET: slackSigningSecret,
      SLACK_ADMIN_USER_IDS: SAMPLE_SLACK.adminUserId,
      SLACK_WEBHOOK_URL: slack.webhookUrl,
    },
  };
}
