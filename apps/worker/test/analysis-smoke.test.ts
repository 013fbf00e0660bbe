import { expect, it } from "vitest";
import { startFakeOpenAI, waitFor } from "@daycarat/testkit";
import { startTestApi } from "@daycarat/server/testing";
import { activityTagSearchColumns } from "@daycarat/db";
import { startTestWorker } from "./test-worker.ts";

const sentence = (n: number) => `${n}번째 문장: `.padEnd(250, "가");
const model = await startFakeOpenAI(() => ({ toolCall: { keyword: "EXECUTION", sentences: [sentence(1), sentence(2), sentence(3)] } }));
const api = await startTestApi();
await startTestWorker(api.databaseUrl, { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: model.baseUrl });

it("analyses a submitted gem", async () => {
  const { client, userId } = await api.signIn("smoke@x.dev");
  const tag = await api.db.activityTag.create({ data: { userId, name: "t", ...activityTagSearchColumns("t") } });
  const episode = await api.db.episode.create({ data: { userId, activityTagId: tag.id, title: "제목", date: new Date() } });
  await client.gems.saveDraft.mutate({ episodeId: episode.id, situation: "s", objective: "o", action: "a", result: "r", aftermath: "f" });
  await client.gems.submit.mutate({ episodeId: episode.id });
  const done = await waitFor(async () => {
    const analysis = await client.gems.analysis.query({ episodeId: episode.id });
    return analysis?.status === "SUCCEEDED" ? analysis : undefined;
  }, 20_000);
  expect(done.keyword).toBe("EXECUTION");
  await waitFor(async () => ((await api.db.notification.count({ where: { userId } })) === 1 ? true : undefined), 10_000);
});
