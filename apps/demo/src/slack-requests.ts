import { z } from "zod";
import { slackSignature } from "@daycarat/slack";
import { SAMPLE_SLACK } from "./sample-data.ts";

// The demo playing Slack's side: the requests Slack sends the server when an admin types
// `/notice` and then submits the form it opened, signed with the signing secret the way
// Slack signs them (v0 HMAC over the timestamp and the raw body).

/** The parts of the opened form (a views.open call's view) that Slack shows and its submission refers to. */
export const openedView = z.object({
  callback_id: z.string(),
  private_metadata: z.string(),
  title: z.object({ text: z.string() }),
  blocks: z.array(
    z.object({
      block_id: z.string(),
      label: z.object({ text: z.string() }),
      element: z.object({ type: z.string(), action_id: z.string(), options: z.array(z.unknown()).optional() }),
    }),
  ),
});

export type OpenedView = z.infer<typeof openedView>;

export interface FormAnswers {
  title: string;
  body: string;
  push: boolean;
}

export interface SlackSide {
  /** Types `/notice <text>` in the channel; answers the server's response. */
  command: (text: string) => Promise<Response>;
  /** Fills in the opened form and presses its submit button. */
  submit: (view: OpenedView, answers: FormAnswers) => Promise<Response>;
}

/** What Slack sends for each kind of input in the form: the text typed, the boxes ticked, no time picked. */
function elementState(element: OpenedView["blocks"][number]["element"], answer: string | boolean | undefined): Record<string, unknown> {
  switch (element.type) {
    case "plain_text_input":
      return { type: element.type, value: answer };
    case "checkboxes":
      return { type: element.type, selected_options: answer ? (element.options ?? []) : [] };
    default:
      return { type: element.type, selected_date_time: null };
  }
}

function submission(view: OpenedView, answers: FormAnswers) {
  // The form's blocks are named after the fields they ask for.
  const byBlock: Partial<Record<string, string | boolean>> = { ...answers };
  const values = Object.fromEntries(
    view.blocks.map(({ block_id, element }) => [block_id, { [element.action_id]: elementState(element, byBlock[block_id]) }]),
  );
  return {
    type: "view_submission",
    team: { id: SAMPLE_SLACK.teamId },
    user: { id: SAMPLE_SLACK.adminUserId },
    view: { callback_id: view.callback_id, private_metadata: view.private_metadata, state: { values } },
  };
}

export function actAsSlack(serverUrl: string, signingSecret: string): SlackSide {
  let triggers = 0;
  const post = (path: string, fields: Record<string, string>) => {
    const body = new URLSearchParams(fields).toString();
    const timestamp = String(Math.floor(Date.now() / 1000));
    return fetch(`${serverUrl}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": slackSignature(signingSecret, timestamp, body),
      },
      body,
    });
  };
  return {
    command: (text) =>
      post("/slack/commands", {
        command: "/notice",
        text,
        user_id: SAMPLE_SLACK.adminUserId,
        channel_id: SAMPLE_SLACK.channelId,
        team_id: SAMPLE_SLACK.teamId,
        trigger_id: `demo-trigger.${++triggers}`,
        response_url: "https://hooks.slack.invalid/commands/demo",
      }),
    submit: (view, answers) => post("/slack/interactions", { payload: JSON.stringify(submission(view, answers)) }),
  };
}
