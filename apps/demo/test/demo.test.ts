import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { dropDatabase, withConnection } from "@daycarat/db";
import { databaseUrlFor, freePort, startProcess } from "@daycarat/testkit";
import { SAMPLE_AI_ANSWER, SAMPLE_EPISODE, SAMPLE_NOTICE, SAMPLE_USER } from "../src/sample-data.ts";
import { STEPS } from "../src/steps.ts";

// `pnpm demo`'s entry as a child process, on the test run's Postgres (DATABASE_URL), with a
// database name of its own so that it never meets another run's demo database.

const DEMO_MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

describe("pnpm demo", () => {
  it("tells the whole story with the real server and worker, and exits 0", async () => {
    const databaseName = `demo_${randomUUID().replaceAll("-", "")}`;
    onTestFinished(() => dropDatabase(inject("adminDatabaseUrl"), databaseName));
    const demo = startProcess(DEMO_MAIN, { DATABASE_URL: inject("adminDatabaseUrl"), DEMO_DATABASE_NAME: databaseName });

    const { code } = await demo.exited(40_000);
    const output = demo.output();
    expect(code, output).toBe(0);
    for (const step of Object.values(STEPS)) expect(output).toContain(`${step.number}/8. ${step.title}`);
    expect(output).toContain("OpenAI stand-in (local, not OpenAI) on http://127.0.0.1:");
    expect(output).toContain(`episodes.create: "${SAMPLE_EPISODE.title}"`);
    expect(output).toContain(`keyword ${SAMPLE_AI_ANSWER.keyword}`);
    for (const sentence of SAMPLE_AI_ANSWER.sentences) expect(output).toContain(sentence);
    expect(output).toMatch(/⚡ live feed, entry #\d+: \[AI_RESULT\] 보석 가공이 완료되었어요/);
    expect(output).toContain(`push: the FCM stand-in received a message for token ${SAMPLE_USER.deviceToken}`);
    expect(output).toContain(`the server called views.open on the Slack stand-in: a modal "공지 작성"`);
    expect(output).toContain(`님이 공지 "${SAMPLE_NOTICE.title}"을(를) 지금 게시하도록 등록했어요`);
    expect(output).toContain(`notices.list shows "${SAMPLE_NOTICE.title}"`);
    expect(output).toContain(`push: the FCM stand-in received one message for topic "notices"`);
    expect(output).toContain("stopped the server");
    expect(output).toContain("Demo finished");
    expect(output).not.toContain("✗");

    // What the output claims is what the system recorded.
    await withConnection(databaseUrlFor(databaseName), async (client) => {
      const analyses = await client.query(`SELECT status, keyword FROM analyses`);
      expect(analyses.rows).toEqual([{ status: "SUCCEEDED", keyword: SAMPLE_AI_ANSWER.keyword }]);
      const notices = await client.query(`SELECT title, status, source, "pushTransport" FROM notices`);
      expect(notices.rows).toEqual([{ title: SAMPLE_NOTICE.title, status: "SENT", source: "SLACK", pushTransport: "FCM" }]);
      const deliveries = await client.query(`SELECT status FROM notification_deliveries`);
      expect(deliveries.rows).toEqual([{ status: "SENT" }]);
    });
  }, 45_000);

  it("names the step that failed and why, and exits 1", async () => {
    const unreachable = `postgresql://postgres:postgres@127.0.0.1:${await freePort()}/postgres`;
    const demo = startProcess(DEMO_MAIN, { DATABASE_URL: unreachable });

    const { code } = await demo.exited(20_000);
    const output = demo.output();
    expect(code, output).toBe(1);
    expect(output).toContain(`✗ Step 1 (${STEPS.start.title}) failed: connect ECONNREFUSED`);
    expect(output).not.toContain("2/8.");
  });
});
