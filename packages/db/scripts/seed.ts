// Fills the database with realistic Korean sample data: three job seekers with activity
// tags, episodes (drafts and finalized), gems with their AI analyses, notifications and
// notices. Re-running replaces the sample users; nothing else is touched.
import { loadConfig } from "@daycarat/config";
import { createLogger } from "@daycarat/logger";
import { activityTagSearchColumns, createDatabaseClient, migrateDatabase, type DatabaseClient } from "../src/index.ts";
import { withLocalDatabase } from "../src/embedded.ts";
import { sampleUsers, sampleNotices, type SampleUser } from "./seed-data.ts";

const SAMPLE_PROVIDER = "DEV" as const;

async function seedUser(db: DatabaseClient, sample: SampleUser): Promise<void> {
  await db.user.deleteMany({ where: { identities: { some: { provider: SAMPLE_PROVIDER, providerUserId: sample.email } } } });
  const user = await db.user.create({
    data: {
      email: sample.email,
      nickname: sample.nickname,
      jobTitle: sample.jobTitle,
      strengths: sample.strengths,
      pushAllowed: true,
      onboardedAt: new Date(),
      identities: { create: { provider: SAMPLE_PROVIDER, providerUserId: sample.email, email: sample.email } },
      notificationPreferences: { create: {} },
    },
  });
  const tagIds = new Map<string, string>();
  for (const name of new Set(sample.episodes.map((episode) => episode.activity))) {
    const tag = await db.activityTag.create({ data: { userId: user.id, name, ...activityTagSearchColumns(name) } });
    tagIds.set(name, tag.id);
  }
  for (const episode of sample.episodes) {
    const activityTagId = tagIds.get(episode.activity);
    if (!activityTagId) throw new Error(`no tag for ${episode.activity}`);
    const created = await db.episode.create({
      data: {
        userId: user.id,
        activityTagId,
        title: episode.title,
        date: new Date(`${episode.date}T00:00:00Z`),
        state: episode.gem ? "FINALIZED" : "DRAFT",
        keyword: episode.gem?.keyword ?? "UNSET",
        contents: { create: episode.contents.map((content, position) => ({ ...content, position })) },
      },
    });
    if (!episode.gem) continue;
    const { keyword, sentences, ...answers } = episode.gem;
    const gem = await db.gem.create({
      data: { episodeId: created.id, userId: user.id, ...answers, submittedAt: new Date() },
    });
    await db.analysis.create({
      data: {
        gemId: gem.id,
        userId: user.id,
        gemVersion: gem.version,
        status: "SUCCEEDED",
        keyword,
        sentences,
        model: "sample-data",
        attempts: 1,
        startedAt: new Date(),
        finishedAt: new Date(),
      },
    });
    await db.notification.create({
      data: {
        userId: user.id,
        type: "ANALYSIS_SUCCEEDED",
        category: "AI_RESULT",
        title: "보석 가공이 완료되었어요",
        body: `'${episode.title}' 경험의 역량 키워드와 자기소개서 문장을 확인해 보세요.`,
        data: { episodeId: created.id },
        dedupeKey: `analysis:${gem.id}:${gem.version}`,
      },
    });
  }
}

async function seed(db: DatabaseClient): Promise<void> {
  for (const sample of sampleUsers) await seedUser(db, sample);
  await db.notice.deleteMany({ where: { title: { in: sampleNotices.map((notice) => notice.title) } } });
  await db.notice.createMany({
    data: sampleNotices.map((notice) => ({ ...notice, status: "SENT" as const, sentAt: new Date() })),
  });
}

const config = loadConfig();
const logger = createLogger({ service: "seed", ...config.logging });
await withLocalDatabase(config.database.directUrl, { ...config.database.embedded, logger }, async (databaseUrl) => {
  await migrateDatabase({ databaseUrl, logger });
  const db = createDatabaseClient(databaseUrl);
  try {
    await seed(db);
  } finally {
    await db.$disconnect();
  }
  const episodes = sampleUsers.reduce((total, user) => total + user.episodes.length, 0);
  logger.info(
    `seeded ${sampleUsers.length} users (sign in with auth.dev and their email), ${episodes} episodes, ${sampleNotices.length} notices`,
  );
});
