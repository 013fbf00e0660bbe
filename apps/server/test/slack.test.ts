import { describe, expect, it } from "vitest";
import { publishNoticeJob } from "@daycarat/jobs";
import { findJobs } from "@daycarat/jobs/testing";
import { slackSignature } from "@daycarat/slack";
import { FAKE_SLACK_BOT_TOKEN, startFakeSlack, waitFor } from "@daycarat/testkit";
import { startTestApi } from "./test-server.ts";

// Notices managed from Slack, against the real endpoints: signed requests as Slack sends them,
// and the Web API calls (views.open, chat.postMessage) reaching a local Slack stand-in.

const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const ADMIN = "U0ADMIN";
const slack = await startFakeSlack();
const api = await startTestApi({
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_BOT_TOKEN: FAKE_SLACK_BOT_TOKEN,
  SLACK_API_URL: slack.apiUrl,
  SLACK_ADMIN_USER_IDS: `${ADMIN},U0OTHERADMIN`,
});

interface SlackPost {
  body: string;
  timestamp?: number;
  secret?: string;
}

/** POSTs a form as Slack does: signed with the secret over the raw body and the timestamp. */
function post(path: string, { body, timestamp = Math.floor(Date.now() / 1000), secret = SIGNING_SECRET }: SlackPost) {
  return fetch(`${api.url}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": slackSignature(secret, String(timestamp), body),
    },
    body,
  });
}

let triggers = 0;
const command = (text: string, user = ADMIN) =>
  new URLSearchParams({
    command: "/notice",
    text,
    user_id: user,
    channel_id: "C0NOTICES",
    trigger_id: `trigger.${++triggers}`,
    team_id: "T0DAYCARAT",
    response_url: "https://hooks.slack.invalid/commands/1",
  }).toString();

interface FormValues {
  title?: string;
  body?: string;
  push?: boolean;
  publishAt?: Date;
  user?: string;
  privateMetadata?: string;
}

/** The view_submission Slack sends when the notice form is submitted. */
function submission({
  title = "서비스 점검 안내",
  body = "11월 30일 새벽 2시부터 30분간 점검해요.",
  push = true,
  publishAt,
  user = ADMIN,
  privateMetadata = JSON.stringify({ channelId: "C0NOTICES" }),
}: FormValues) {
  const payload = {
    type: "view_submission",
    user: { id: user },
    view: {
      callback_id: "notice.create",
      private_metadata: privateMetadata,
      state: {
        values: {
          title: { value: { type: "plain_text_input", value: title } },
          body: { value: { type: "plain_text_input", value: body } },
          push: { value: { type: "checkboxes", selected_options: push ? [{ value: "push" }] : [] } },
          publishAt: { value: { type: "datetimepicker", selected_date_time: publishAt ? Math.floor(publishAt.getTime() / 1000) : null } },
        },
      },
    },
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

describe("Slack request verification", () => {
  it("opens the notice form for a correctly signed command from an admin", async () => {
    const response = await post("/slack/commands", { body: command("") });
    expect(response.status).toBe(200);
    const call = slack.apiCalls.find((entry) => entry.method === "views.open" && entry.args.trigger_id === `trigger.${triggers}`);
    expect(call?.args.view).toMatchObject({
      type: "modal",
      callback_id: "notice.create",
      private_metadata: JSON.stringify({ channelId: "C0NOTICES" }),
    });
  });

  it("refuses a wrongly signed, a stale, an unsigned and a replayed request", async () => {
    const opened = () => slack.apiCalls.filter((entry) => entry.method === "views.open").length;
    const before = opened();

    const wrong = await post("/slack/commands", { body: command(""), secret: "not-the-secret-at-all-0000000000" });
    expect([wrong.status, await wrong.json()]).toEqual([401, { error: "bad-signature" }]);

    const stale = await post("/slack/commands", { body: command(""), timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect([stale.status, await stale.json()]).toEqual([401, { error: "stale" }]);

    const unsigned = await fetch(`${api.url}/slack/commands`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: command(""),
    });
    expect(unsigned.status).toBe(401);

    // A body changed after signing fails too.
    const timestamp = Math.floor(Date.now() / 1000);
    const tampered = await fetch(`${api.url}/slack/commands`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": slackSignature(SIGNING_SECRET, String(timestamp), command("", "U0SOMEONE")),
      },
      body: command("", ADMIN),
    });
    expect(tampered.status).toBe(401);
    expect(opened()).toBe(before);

    const body = command("");
    const first = await post("/slack/commands", { body, timestamp });
    const replay = await post("/slack/commands", { body, timestamp });
    expect(first.status).toBe(200);
    expect([replay.status, await replay.json()]).toEqual([401, { error: "replayed" }]);
    expect(opened()).toBe(before + 1);
  });

  it("tells a Slack user who is not a notice admin that they may not, and opens nothing", async () => {
    const before = slack.apiCalls.length;
    const response = await post("/slack/commands", { body: command("", "U0STRANGER") });
    expect(await response.json()).toMatchObject({ response_type: "ephemeral", text: expect.stringContaining("권한이 없어요") as unknown });
    const refused = await post("/slack/interactions", { body: submission({ user: "U0STRANGER" }) });
    expect(await refused.json()).toMatchObject({ response_action: "errors" });
    expect(slack.apiCalls.length).toBe(before);
    expect(await api.db.notice.count({ where: { authorSlackUserId: "U0STRANGER" } })).toBe(0);
  });
});

describe("Slack notice management", () => {
  it("creates the notice from the submitted form, scheduled, and confirms it in the channel", async () => {
    const publishAt = new Date(Date.now() + 3 * 60 * 60 * 1000);
    const response = await post("/slack/interactions", { body: submission({ title: "  예약 공지  ", publishAt, push: false }) });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");

    const notice = await api.db.notice.findFirstOrThrow({ where: { title: "예약 공지" } });
    expect(notice).toMatchObject({ source: "SLACK", authorSlackUserId: ADMIN, authorId: null, push: false, status: "SCHEDULED" });
    expect(Math.abs((notice.scheduledAt?.getTime() ?? 0) - publishAt.getTime())).toBeLessThan(1_000);
    const [job] = await findJobs(api.db, publishNoticeJob, { data: { noticeId: notice.id } });
    expect(job?.startAfter.getTime()).toBe(notice.scheduledAt?.getTime());

    const confirmation = await waitFor(() =>
      Promise.resolve(slack.apiCalls.find((call) => call.method === "chat.postMessage" && String(call.args.text).includes(notice.id))),
    );
    expect(confirmation.args).toMatchObject({ channel: "C0NOTICES" });
    expect(String(confirmation.args.text)).toContain("예약 공지");
  });

  it("sends field problems back to the form and creates nothing", async () => {
    const before = await api.db.notice.count();
    const blank = await post("/slack/interactions", { body: submission({ title: "   " }) });
    expect(await blank.json()).toEqual({ response_action: "errors", errors: { title: "must not be blank" } });
    const past = await post("/slack/interactions", { body: submission({ publishAt: new Date(Date.now() - 10 * 60 * 1000) }) });
    expect(await past.json()).toEqual({ response_action: "errors", errors: { publishAt: "must not be in the past" } });
    const long = await post("/slack/interactions", { body: submission({ title: "가".repeat(101) }) });
    expect(await long.json()).toMatchObject({ response_action: "errors", errors: { title: "must be at most 100 characters" } });
    expect(await api.db.notice.count()).toBe(before);
  });

  it("refuses a form whose metadata is not as the server made it with 400, creating nothing and saying nothing internal", async () => {
    for (const privateMetadata of ["{not json", "[]", JSON.stringify({ channel: "C0NOTICES" })]) {
      const response = await post("/slack/interactions", { body: submission({ title: `메타데이터 ${privateMetadata}`, privateMetadata }) });
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ error: "The notice form's submission is malformed" });
      expect(text).not.toMatch(/JSON|position|token/i);
      expect(await api.db.notice.count({ where: { title: `메타데이터 ${privateMetadata}` } })).toBe(0);
    }
  });

  it("lists scheduled notices and cancels one by id", async () => {
    await post("/slack/interactions", { body: submission({ title: "취소될 공지", publishAt: new Date(Date.now() + 86_400_000) }) });
    const notice = await api.db.notice.findFirstOrThrow({ where: { title: "취소될 공지" } });

    const listed = (await (await post("/slack/commands", { body: command("list") })).json()) as { text: string };
    expect(listed.text).toContain(notice.id);
    expect(listed.text).toContain("취소될 공지");

    const canceled = (await (await post("/slack/commands", { body: command(`cancel ${notice.id}`) })).json()) as { text: string };
    expect(canceled.text).toContain("예약을 취소했어요");
    expect((await api.db.notice.findUniqueOrThrow({ where: { id: notice.id } })).status).toBe("CANCELED");

    const again = (await (await post("/slack/commands", { body: command(`cancel ${notice.id}`) })).json()) as { text: string };
    expect(again.text).toContain("취소할 수 없어요");
    const unknown = (await (await post("/slack/commands", { body: command("cancel 0193a0c4-0000-7000-8000-00000000dead") })).json()) as {
      text: string;
    };
    expect(unknown.text).toBe("그런 공지가 없어요.");
    const listedAfter = (await (await post("/slack/commands", { body: command("list") })).json()) as { text: string };
    expect(listedAfter.text).not.toContain(notice.id);
  });

  it("keeps the notice when Slack cannot take the confirmation", async () => {
    slack.setMode("down");
    try {
      const response = await post("/slack/interactions", { body: submission({ title: "슬랙이 멈춰도" }) });
      expect(response.status).toBe(200);
      expect(await api.db.notice.count({ where: { title: "슬랙이 멈춰도" } })).toBe(1);
      await waitFor(() =>
        Promise.resolve(api.logs.lines().some((line) => line.msg === "could not confirm a Slack notice in its channel") || undefined),
      );
    } finally {
      slack.setMode("up");
    }
  });
});
