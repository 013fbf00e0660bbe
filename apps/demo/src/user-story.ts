import { createDayCaratClient, memoryTokenStore, type DayCaratClient } from "@daycarat/client";
import type { FakeFcm, FakeOpenAI } from "@daycarat/devkit";
import type { LiveFeed } from "./live-feed.ts";
import { detail, say } from "./print.ts";
import { SAMPLE_AI_ANSWER, SAMPLE_EPISODE, SAMPLE_GEM, SAMPLE_USER } from "./sample-data.ts";
import { pollUntil } from "./wait.ts";

// What a user of the app does, through the typed client exactly as the app would call it.

/** Today in Seoul, where the sample user lives, as the API's YYYY-MM-DD. */
function todayInSeoul(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Seoul" }).format(new Date());
}

/** Step 2: a session, consent to pushes, and a phone to push to. */
export async function signIn(serverUrl: string): Promise<DayCaratClient> {
  const client = createDayCaratClient({ url: serverUrl, tokens: memoryTokenStore() });
  const { user, isNewUser } = await client.auth.dev.mutate({ email: SAMPLE_USER.email, nickname: SAMPLE_USER.nickname });
  say(`auth.dev: signed in as ${user.nickname} <${user.email ?? ""}>${isNewUser ? ", a new user" : ""}; the client keeps the session`);
  const me = await client.me.update.mutate({ pushAllowed: true });
  say(`me.update: pushAllowed = ${me.pushAllowed} (time zone ${me.timeZone})`);
  const preferences = await client.preferences.update.mutate({ quietHours: { enabled: false } });
  say(
    `preferences.update: quiet hours off (on by default, 22:00–08:00, they would hold the push back); AI results ${preferences.aiResults ? "on" : "off"}, notices ${preferences.notices ? "on" : "off"}`,
  );
  const device = await client.devices.register.mutate({ token: SAMPLE_USER.deviceToken, platform: "ANDROID" });
  say(`devices.register: ${device.platform} phone with FCM token ${SAMPLE_USER.deviceToken}`);
  return client;
}

/** Step 3: the episode, then the gem's five answers; returns the episode's id. */
export async function writeEpisode(client: DayCaratClient): Promise<string> {
  const episode = await client.episodes.create.mutate({ ...SAMPLE_EPISODE, date: todayInSeoul() });
  say(
    `episodes.create: "${episode.title}" on ${episode.date}, tag "${episode.activityTag.name}", ${episode.contents.length} contents, ${episode.state}`,
  );
  for (const { type, content } of episode.contents) detail(type, content);
  const gem = await client.gems.saveDraft.mutate({ episodeId: episode.id, ...SAMPLE_GEM });
  say(`gems.saveDraft: the five SOARA answers saved (gem version ${gem.version})`);
  for (const field of ["situation", "objective", "action", "result", "aftermath"] as const) detail(field, gem[field] ?? "");
  return episode.id;
}

/** Step 5: submits the gem and follows its analysis until the worker has the AI's answer. */
export async function analyseGem(client: DayCaratClient, episodeId: string, openai: FakeOpenAI): Promise<void> {
  const submitted = await client.gems.submit.mutate({ episodeId });
  say(`gems.submit: episode finalized, analysis ${submitted.status}; its analysis.run job was queued in the same transaction`);
  let lastStatus = submitted.status;
  const analysis = await pollUntil(async () => {
    const current = await client.gems.analysis.query({ episodeId });
    if (current && current.status !== lastStatus) {
      lastStatus = current.status;
      say(`gems.analysis: ${current.status}`);
    }
    if (current?.status === "FAILED") throw new Error(`the analysis FAILED: ${current.failureReason ?? "no reason given"}`);
    return current?.status === "SUCCEEDED" ? current : undefined;
  }, "the analysis to succeed");
  const chat = openai.chats.at(-1);
  if (!chat) throw new Error("the analysis succeeded without asking the OpenAI stand-in");
  say(
    `the worker asked the OpenAI stand-in (model ${chat.model}, function ${chat.tools?.[0]?.function.name ?? "none"}) with the gem's answers`,
  );
  say(`AI result after ${analysis.attempts} model call(s): keyword ${analysis.keyword ?? "none"}`);
  analysis.sentences.forEach((sentence, index) => {
    detail(`sentence ${index + 1} (${sentence.length} chars)`, sentence);
  });
  if (analysis.keyword !== SAMPLE_AI_ANSWER.keyword)
    throw new Error(`expected the keyword ${SAMPLE_AI_ANSWER.keyword}, got ${analysis.keyword ?? "none"}`);
}

/** Step 6: the entry the analysis left in the inbox (live and listed) and the push to the phone. */
export async function showInboxAndPush(client: DayCaratClient, feed: LiveFeed, fcm: FakeFcm): Promise<void> {
  const live = await feed.waitFor((entry) => entry.type === "ANALYSIS_SUCCEEDED", "the AI result on the live feed");
  say(`the live feed delivered "${live.title}" as soon as the worker wrote it`);
  const { items } = await client.notifications.list.query({ limit: 5 });
  const { count } = await client.notifications.unreadCount.query();
  say(`notifications.list: ${items.length} entry, ${count} unread`);
  for (const item of items) detail(item.type, `${item.title} — ${item.body} (data ${JSON.stringify(item.data)})`);
  const push = await pollUntil(
    () => fcm.delivered.find((message) => message.token === SAMPLE_USER.deviceToken),
    "the push at the FCM stand-in",
  );
  say(`push: the FCM stand-in received a message for token ${push.token ?? ""}`);
  detail("title", push.notification?.title ?? "");
  detail("body", push.notification?.body ?? "");
  detail("data", JSON.stringify(push.data ?? {}));
}
