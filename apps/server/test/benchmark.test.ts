// The parts of the API benchmark (benchmarks/) whose mistakes would not show in its
// figures: data that breaks the domain's rules, and a misread query plan.
import { describe, expect, it } from "vitest";
import { activityTagSearchColumns } from "@daycarat/db";
import { createTestDatabase } from "@daycarat/testkit";
import { scanNodes } from "../benchmarks/explain.ts";
import { seedDatabase } from "../benchmarks/seed.ts";

describe("benchmark seed", () => {
  it("makes users with their own tags, dated episodes with contents, and gems for the finalized ones", async () => {
    const { url, db } = await createTestDatabase();
    const indexesBefore = await db.$queryRaw<{ indexdef: string }[]>`
      SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexdef`;

    const seeded = await seedDatabase(url, { users: 3, episodesPerUser: 40, finalizedShare: 0.5, seed: 7 });

    expect(seeded.userIds).toHaveLength(3);
    expect(seeded.rowCounts.episodes).toBe(120);
    const tags = await db.activityTag.findMany();
    for (const tag of tags) expect(tag).toMatchObject(activityTagSearchColumns(tag.name));
    const [consistency] = await db.$queryRaw<[{ foreign_tags: number; bad_positions: number; outside_dates: number }]>`
      SELECT
        (SELECT count(*)::int FROM episodes e JOIN activity_tags t ON t.id = e."activityTagId"
          WHERE t."userId" <> e."userId") AS foreign_tags,
        (SELECT count(*)::int FROM (
          SELECT "episodeId" FROM episode_contents GROUP BY "episodeId"
          HAVING count(*) NOT BETWEEN 1 AND 3 OR max(position) <> count(*) - 1) AS c) AS bad_positions,
        (SELECT count(*)::int FROM episodes WHERE date < '2025-01-01' OR date > '2026-12-31') AS outside_dates`;
    expect(consistency).toEqual({ foreign_tags: 0, bad_positions: 0, outside_dates: 0 });
    expect(await db.episodeContent.groupBy({ by: ["episodeId"] })).toHaveLength(120);

    const finalized = await db.episode.findMany({
      where: { state: "FINALIZED" },
      include: { gem: { include: { analyses: true } } },
    });
    expect(finalized.length).toBeGreaterThan(0);
    for (const episode of finalized) {
      expect(episode.keyword).not.toBe("UNSET");
      expect(episode.gem?.submittedAt).not.toBeNull();
      expect(episode.gem?.analyses.map((analysis) => analysis.status)).toEqual(["SUCCEEDED"]);
    }
    expect(await db.gem.count({ where: { submittedAt: { not: null }, episode: { state: "DRAFT" } } })).toBe(0);

    // The indexes dropped for the bulk load are all back, exactly as the migrations made them.
    const indexesAfter = await db.$queryRaw<{ indexdef: string }[]>`
      SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexdef`;
    expect(indexesAfter).toEqual(indexesBefore);
  });
});

describe("query plan reading", () => {
  const plan = [
    "Limit  (cost=0.42..666.92 rows=21 width=149) (actual time=0.064..2.395 rows=21.00 loops=1)",
    '  ->  Index Scan using "episodes_userId_date_id_idx" on episodes  (cost=0.42..3269.43 rows=103 width=149) (actual time=0.063..2.390 rows=21.00 loops=1)',
    "        Filter: (((title)::text ~~* '%인터뷰%'::text) OR EXISTS(SubPlan 1))",
    "        Rows Removed by Filter: 51",
    "        SubPlan 1",
    "          ->  Bitmap Heap Scan on episode_contents t0  (cost=25.05..982.51 rows=2357 width=16) (actual time=0.348..14.612 rows=2201.00 loops=1)",
    "                ->  Bitmap Index Scan on episode_contents_content_idx  (cost=0.00..24.46 rows=2357 width=0) (actual time=0.259..0.260 rows=2201.00 loops=1)",
    "  ->  Seq Scan on activity_tags  (cost=0.05..13.71 rows=21 width=36) (actual time=0.027..0.063 rows=9.00 loops=4)",
    "        Rows Removed by Filter: 368",
    "Planning Time: 0.685 ms",
  ];

  it("finds each scan, the index it used and the rows it read", () => {
    expect(scanNodes(plan)).toEqual([
      { kind: "Index Scan", index: "episodes_userId_date_id_idx", table: "episodes", rowsRead: 21 + 51 },
      { kind: "Bitmap Index Scan", index: "episode_contents_content_idx", rowsRead: 2201 },
      { kind: "Seq Scan", table: "activity_tags", rowsRead: (9 + 368) * 4 },
    ]);
  });
});
