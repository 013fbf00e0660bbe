// Fills the benchmark database in a handful of set-based statements (INSERT … SELECT over
// generate_series): 200,000 episodes through Prisma, one call each, would take far longer
// than the load test itself. Only the activity tags are made in JavaScript, because their
// Hangul search columns come from the same function the API uses.
import pg from "pg";
import { activityTagSearchColumns } from "@daycarat/db";
import {
  ACTIVITY_NAMES,
  CONTENT_SENTENCES,
  COVER_LETTER_SENTENCES,
  JOB_TITLES,
  STRENGTHS,
  TITLE_OUTCOMES,
  TITLE_SUBJECTS,
} from "./korean-vocabulary.ts";
import { randomInt, sample, seededRandom } from "./random.ts";

export interface SeedOptions {
  users: number;
  episodesPerUser: number;
  /** Share of episodes that are FINALIZED, with a keyword, a submitted gem and its analysis. */
  finalizedShare: number;
  /** Seeds the JavaScript and the SQL random generators alike. */
  seed: number;
}

export interface SeedResult {
  userIds: string[];
  rowCounts: Record<string, number>;
  durationMs: number;
}

/** Tables whose secondary indexes are built after the load: one build beats 200,000 inserts into each. */
const BULK_LOADED_TABLES = ["episodes", "episode_contents", "gems", "analyses"];

/** The id default: Prisma makes UUIDv7 ids, which Postgres makes itself from version 18 on. */
async function uuidExpression(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ version: string }>("SHOW server_version_num");
  return Number(rows[0]?.version) >= 180_000 ? "uuidv7()" : "gen_random_uuid()";
}

async function prepareSession(client: pg.Client, seed: number): Promise<void> {
  // A throwaway database: losing the last commits on a crash costs nothing, waiting for each flush does.
  await client.query("SET synchronous_commit = off");
  await client.query("SET maintenance_work_mem = '256MB'");
  // random() in the statements below then draws the same numbers on every run.
  await client.query("SELECT setseed($1)", [(seed % 1000) / 1000]);
}

interface IndexDefinition {
  name: string;
  definition: string;
}

/** The indexes that back no constraint (primary keys stay: foreign keys need them). */
async function dropSecondaryIndexes(client: pg.Client): Promise<IndexDefinition[]> {
  const { rows } = await client.query<IndexDefinition>(
    `SELECT index_class.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i
     JOIN pg_class table_class ON table_class.oid = i.indrelid
     JOIN pg_class index_class ON index_class.oid = i.indexrelid
     WHERE table_class.relname = ANY($1::text[])
       AND table_class.relnamespace = 'public'::regnamespace
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
    [BULK_LOADED_TABLES],
  );
  for (const index of rows) await client.query(`DROP INDEX "${index.name}"`);
  return rows;
}

async function recreateIndexes(client: pg.Client, indexes: IndexDefinition[]): Promise<void> {
  for (const index of indexes) await client.query(index.definition);
}

async function insertUsers(client: pg.Client, uuid: string, count: number): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO users (id, email, nickname, "jobTitle", strengths, "pushAllowed", "onboardedAt", "createdAt", "updatedAt")
     SELECT ${uuid}, 'bench-' || n || '@daycarat.test', '벤치 사용자 ' || n,
            ($2::text[])[1 + n % cardinality($2::text[])],
            ARRAY[($3::text[])[1 + n % cardinality($3::text[])], ($3::text[])[1 + (n + 3) % cardinality($3::text[])]],
            n % 2 = 0, now(), now(), now()
     FROM generate_series(1, $1::int) AS n
     ORDER BY n
     RETURNING id`,
    [count, JOB_TITLES, STRENGTHS],
  );
  await client.query(
    `INSERT INTO identities (id, "userId", provider, "providerUserId", email)
     SELECT ${uuid}, id, 'DEV', email, email FROM users`,
  );
  return rows.map((row) => row.id);
}

/** 5–10 distinct activity names per user, with the Hangul search columns the API would store. */
async function insertActivityTags(client: pg.Client, uuid: string, userIds: string[], random: () => number): Promise<void> {
  const columns = { userId: [] as string[], name: [] as string[], searchJamo: [] as string[], searchInitials: [] as string[] };
  for (const userId of userIds) {
    for (const name of sample(random, ACTIVITY_NAMES, randomInt(random, 5, 10))) {
      const search = activityTagSearchColumns(name);
      columns.userId.push(userId);
      columns.name.push(name);
      columns.searchJamo.push(search.searchJamo);
      columns.searchInitials.push(search.searchInitials);
    }
  }
  await client.query(
    `INSERT INTO activity_tags (id, "userId", name, "searchJamo", "searchInitials")
     SELECT ${uuid}, * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])`,
    [columns.userId, columns.name, columns.searchJamo, columns.searchInitials],
  );
}

/**
 * `episodesPerUser` episodes per user, each with one of the user's tags, a date in 2025–2026,
 * and a title from the vocabulary; a share is FINALIZED with a keyword (a fifth chosen by the user).
 */
async function insertEpisodes(client: pg.Client, uuid: string, options: SeedOptions): Promise<void> {
  await client.query(
    `INSERT INTO episodes (id, "userId", "activityTagId", title, date, state, keyword, "keywordChosenByUser", "createdAt", "updatedAt")
     SELECT ${uuid}, e."userId",
            e.tag_ids[1 + floor(e.r_tag * cardinality(e.tag_ids))::int],
            ($2::text[])[1 + floor(e.r_subject * cardinality($2::text[]))::int] || ' ' ||
              ($3::text[])[1 + floor(e.r_outcome * cardinality($3::text[]))::int],
            e.day,
            CASE WHEN e.finalized THEN 'FINALIZED' ELSE 'DRAFT' END::"EpisodeState",
            CASE WHEN e.finalized THEN (enum_range(NULL::"Keyword"))[2 + floor(e.r_keyword * 6)::int] ELSE 'UNSET' END,
            e.finalized AND e.r_chosen < 0.2,
            c.created_at, c.created_at + e.r_edit * interval '3 days'
     FROM (
       SELECT t."userId", t.tag_ids, random() AS r_tag, random() AS r_subject, random() AS r_outcome,
              random() < $4 AS finalized, random() AS r_keyword, random() AS r_chosen, random() AS r_edit,
              DATE '2025-01-01' + floor(random() * 730)::int AS day, random() AS r_time
       FROM (SELECT "userId", array_agg(id ORDER BY name) AS tag_ids FROM activity_tags GROUP BY "userId") AS t
       CROSS JOIN generate_series(1, $1::int) AS n
     ) AS e
     CROSS JOIN LATERAL (
       SELECT (e.day + time '09:00' + e.r_time * interval '14 hours') AT TIME ZONE 'Asia/Seoul' AS created_at
     ) AS c`,
    [options.episodesPerUser, TITLE_SUBJECTS, TITLE_OUTCOMES, options.finalizedShare],
  );
}

/** 1–3 contents per episode, each 2–5 sentences of the vocabulary. */
async function insertContents(client: pg.Client, uuid: string): Promise<void> {
  // The sentence subquery refers to the outer row, so Postgres runs it (and random()) per content.
  await client.query(
    `INSERT INTO episode_contents (id, "episodeId", position, type, content)
     SELECT ${uuid}, e.id, p.position,
            (enum_range(NULL::"ContentType"))[1 + floor(random() * 4)::int],
            (SELECT string_agg(($1::text[])[1 + floor(random() * cardinality($1::text[]))::int], ' ')
             FROM generate_series(1, 2 + (abs(hashtext(e.id::text)) + p.position) % 4))
     FROM episodes e
     CROSS JOIN LATERAL generate_series(0, abs(hashtext(e.id::text)) % 3) AS p(position)`,
    [CONTENT_SENTENCES],
  );
}

/** A submitted gem for every FINALIZED episode, and a half-written draft gem for a tenth of the drafts. */
async function insertGems(client: pg.Client, uuid: string): Promise<void> {
  const answer = "($1::text[])[1 + floor(random() * cardinality($1::text[]))::int]";
  const finalAnswer = `CASE WHEN e.state = 'FINALIZED' THEN ${answer} END`;
  await client.query(
    `INSERT INTO gems (id, "episodeId", "userId", situation, objective, action, result, aftermath, version, "submittedAt", "createdAt", "updatedAt")
     SELECT ${uuid}, e.id, e."userId", ${answer}, ${answer}, ${finalAnswer}, ${finalAnswer}, ${finalAnswer},
            1 + floor(random() * 2)::int,
            CASE WHEN e.state = 'FINALIZED' THEN e."updatedAt" END,
            e."createdAt", e."updatedAt"
     FROM episodes e
     WHERE e.state = 'FINALIZED' OR random() < 0.1`,
    [CONTENT_SENTENCES],
  );
}

/** A SUCCEEDED analysis for every submitted gem, with three cover-letter sentences. */
async function insertAnalyses(client: pg.Client, uuid: string): Promise<void> {
  const sentence = "($1::text[])[1 + floor(random() * cardinality($1::text[]))::int]";
  await client.query(
    `INSERT INTO analyses (id, "gemId", "userId", "gemVersion", status, keyword, sentences, model, "promptVersion",
                           "promptTokens", "completionTokens", attempts, "startedAt", "finishedAt", "createdAt", "updatedAt")
     SELECT ${uuid}, g.id, g."userId", g.version, 'SUCCEEDED', e.keyword, ARRAY[${sentence}, ${sentence}, ${sentence}],
            'gpt-4o-mini', 'v1', 800 + floor(random() * 400)::int, 300 + floor(random() * 200)::int, 1,
            g."submittedAt", g."submittedAt" + interval '20 seconds', g."submittedAt", g."submittedAt" + interval '20 seconds'
     FROM gems g
     JOIN episodes e ON e.id = g."episodeId"
     WHERE g."submittedAt" IS NOT NULL`,
    [COVER_LETTER_SENTENCES],
  );
}

async function countRows(client: pg.Client): Promise<Record<string, number>> {
  const tables = ["users", "activity_tags", ...BULK_LOADED_TABLES];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await client.query<{ count: number }>(`SELECT count(*)::int AS count FROM "${table}"`);
    counts[table] = rows[0]?.count ?? 0;
  }
  return counts;
}

/** Seeds an empty, migrated database and leaves it vacuumed and analysed. */
export async function seedDatabase(databaseUrl: string, options: SeedOptions): Promise<SeedResult> {
  const startedAt = performance.now();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await prepareSession(client, options.seed);
    const uuid = await uuidExpression(client);
    const droppedIndexes = await dropSecondaryIndexes(client);
    const userIds = await insertUsers(client, uuid, options.users);
    await insertActivityTags(client, uuid, userIds, seededRandom(options.seed));
    await insertEpisodes(client, uuid, options);
    await insertContents(client, uuid);
    await insertGems(client, uuid);
    await insertAnalyses(client, uuid);
    await recreateIndexes(client, droppedIndexes);
    // Statistics for the planner, and the visibility map a long-running database has from
    // autovacuum (without it, index-only scans still visit every heap page).
    await client.query("VACUUM (ANALYZE)");
    const rowCounts = await countRows(client);
    return { userIds, rowCounts, durationMs: performance.now() - startedAt };
  } finally {
    await client.end();
  }
}
