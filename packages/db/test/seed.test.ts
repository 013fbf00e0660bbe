import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { createDatabaseClient } from "@daycarat/db";
import { createEmptyDatabase, startProcess } from "@daycarat/testkit";
import { sampleUsers } from "../scripts/seed-data.ts";

const SEED_SCRIPT = fileURLToPath(new URL("../scripts/seed.ts", import.meta.url));

it("seeds Korean sample data into a new database, and re-seeding replaces it", async () => {
  const { url } = await createEmptyDatabase();
  const db = createDatabaseClient(url, { maxConnections: 1 });
  afterAll(() => db.$disconnect());

  for (let run = 0; run < 2; run++) {
    const seed = startProcess(SEED_SCRIPT, { DATABASE_URL: url, LOG_LEVEL: "info" });
    expect((await seed.exited(30_000)).code, seed.output()).toBe(0);
  }

  const episodes = sampleUsers.flatMap((user) => user.episodes);
  expect(await db.user.count()).toBe(sampleUsers.length);
  expect(await db.episode.count()).toBe(episodes.length);
  expect(await db.gem.count()).toBe(episodes.filter((episode) => episode.gem).length);
  expect(await db.notice.count()).toBe(2);

  const jiwoo = await db.user.findFirstOrThrow({
    where: { email: "jiwoo@daycarat.dev" },
    include: { episodes: { include: { contents: { orderBy: { position: "asc" } }, activityTag: true } } },
  });
  expect(jiwoo.strengths).toEqual(["문제 정의", "데이터 분석", "협업"]);
  const meetup = jiwoo.episodes.find((episode) => episode.title === "큐시즘 밋업 데이 기획 및 운영");
  expect(meetup?.activityTag.name).toBe("큐시즘 29기");
  expect(meetup?.contents.map((content) => content.type)).toEqual(["LESSONS_LEARNED", "REGRETS"]);
  const analysis = await db.analysis.findFirstOrThrow({ where: { gem: { episodeId: meetup?.id } } });
  expect(analysis.sentences).toHaveLength(3);
  for (const sentence of analysis.sentences) expect(sentence.length).toBeGreaterThanOrEqual(200);
});
