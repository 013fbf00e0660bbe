import type { DayCaratClient } from "@daycarat/client";
import type { FakeFcm, FakeSlack } from "@daycarat/devkit";
import { detail, say } from "./print.ts";
import { SAMPLE_NOTICE, SAMPLE_SLACK, SAMPLE_USER } from "./sample-data.ts";
import { actAsSlack, openedView, type OpenedView } from "./slack-requests.ts";
import type { RunningSystem } from "./start.ts";
import { pollUntil } from "./wait.ts";

// An admin writes a notice in Slack: `/notice` opens a form, submitting it creates the notice,
// the worker publishes it: in the app's notice list, and as one push to the FCM topic.

const NOTICES_TOPIC = "notices";

async function expectAccepted(response: Response, what: string): Promise<void> {
  const answer = await response.text();
  // Slack reads a non-empty answer to a form as field errors, and to a command as a reply.
  if (!response.ok || answer !== "") throw new Error(`${what} was answered ${response.status} ${answer}`);
}

async function viewOpenedAt(slack: FakeSlack): Promise<OpenedView> {
  const call = await pollUntil(() => slack.apiCalls.find(({ method }) => method === "views.open"), "views.open at the Slack stand-in");
  return openedView.parse(call.args.view);
}

/** Step 7. */
export async function publishNoticeFromSlack(client: DayCaratClient, { server, standIns }: RunningSystem): Promise<void> {
  const { fcm, slack, slackSigningSecret } = standIns;
  await waitUntilOnTopic(fcm);
  const slackSide = actAsSlack(server.url, slackSigningSecret);

  await expectAccepted(await slackSide.command(""), "/notice");
  say(`acting as Slack: ${SAMPLE_SLACK.adminUserId} typed /notice; a signed POST /slack/commands was accepted`);
  const view = await viewOpenedAt(slack);
  say(
    `the server called views.open on the Slack stand-in: a modal "${view.title.text}" asking for ${view.blocks.map((block) => block.label.text).join(", ")}`,
  );

  await expectAccepted(await slackSide.submit(view, { ...SAMPLE_NOTICE, push: true }), "the form's view_submission");
  say("acting as Slack: the form was submitted (signed POST /slack/interactions, view_submission), push ticked");
  detail("title", SAMPLE_NOTICE.title);
  detail("body", SAMPLE_NOTICE.body);
  const confirmation = await pollUntil(
    () => slack.apiCalls.find((call) => call.method === "chat.postMessage"),
    "the confirmation in the channel",
  );
  say(`the server confirmed in channel ${String(confirmation.args.channel)} with chat.postMessage:`);
  detail("text", String(confirmation.args.text));

  const published = await pollUntil(
    async () => (await client.notices.list.query()).items.find((notice) => notice.title === SAMPLE_NOTICE.title),
    "the worker to publish the notice",
  );
  say(`the worker published it: notices.list shows "${published.title}" (sent ${published.sentAt})`);
  const topicMessage = await pollUntil(
    () => fcm.delivered.find((message) => message.topic === NOTICES_TOPIC),
    "the topic push at the FCM stand-in",
  );
  say(
    `push: the FCM stand-in received one message for topic "${NOTICES_TOPIC}" (FCM fans it out to its ${fcm.topics.get(NOTICES_TOPIC)?.size ?? 0} device(s))`,
  );
  detail("title", topicMessage.notification?.title ?? "");
  detail("body", topicMessage.notification?.body ?? "");
  detail("data", JSON.stringify(topicMessage.data ?? {}));
}

/** The worker's topic sync subscribes the phone after devices.register; a notice sent before would miss it. */
async function waitUntilOnTopic(fcm: FakeFcm): Promise<void> {
  const onTopic = () => (fcm.topics.get(NOTICES_TOPIC)?.has(SAMPLE_USER.deviceToken) ? true : undefined);
  await pollUntil(onTopic, "the phone to join the notices topic");
  say(`the worker's topic sync put the phone on the FCM topic "${NOTICES_TOPIC}" (the stand-in lists it)`);
}
