import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createDayCaratClient, errorCode, memoryTokenStore } from "@daycarat/client";
import { createTestDatabase, startFakeSlack, startServerProcess, waitFor } from "@daycarat/testkit";

// Error reports from a real server process to a Slack incoming-webhook stand-in: an unexpected
// failure is posted with its request id, procedure and user; repeats are throttled and counted;
// a Slack that hangs or fails never holds up a request.

const SERVER_MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

const slack = await startFakeSlack();
const { db, url: databaseUrl } = await createTestDatabase();
const server = await startServerProcess(SERVER_MAIN, {
  DATABASE_URL: databaseUrl,
  SLACK_WEBHOOK_URL: slack.webhookUrl,
  SLACK_ERROR_THROTTLE_SECONDS: "2",
});
afterAll(() => server.stop());

let requestNumber = 0;
const tokens = memoryTokenStore();
const client = createDayCaratClient({
  url: server.url,
  tokens,
  // Each call carries a request id of ours, to find it in the report.
  fetch: (input, init) =>
    fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), "x-request-id": `report-${++requestNumber}` } }),
});
const { user } = await client.auth.dev.mutate({ email: "reports@daycarat.dev" });

/** Breaks the activity tags table, as a bad deploy or an operator's mistake would, for the duration of `work`. */
async function withBrokenTable(work: () => Promise<void>): Promise<void> {
  await db.$executeRawUnsafe(`ALTER TABLE activity_tags RENAME TO activity_tags_gone`);
  try {
    await work();
  } finally {
    await db.$executeRawUnsafe(`ALTER TABLE activity_tags_gone RENAME TO activity_tags`);
  }
}

const failingCall = () => client.activityTags.list.query().catch((error: unknown) => errorCode(error));

describe("error reports to Slack", () => {
  it("posts an unexpected failure once, with request id, procedure and user, then the repeats as a count", async () => {
    await withBrokenTable(async () => {
      const first = requestNumber + 1;
      const outcomes = [];
      for (let call = 0; call < 5; call++) outcomes.push(await failingCall());
      expect(outcomes).toEqual(Array(5).fill("INTERNAL_SERVER_ERROR"));

      const [report] = await waitFor(() => Promise.resolve(slack.webhookPosts.length >= 1 ? slack.webhookPosts : undefined));
      expect(report).toContain("*ERROR* in *server*: procedure failed");
      expect(report).toContain(`request \`report-${first}\``);
      expect(report).toContain("route `activityTags.list`");
      expect(report).toContain(`user \`${user.id}\``);
      expect(report).toContain("activity_tags");
      // Nothing secret: not the caller's access token.
      const session = await tokens.get();
      expect(report).not.toContain(session?.accessToken);

      // The other four arrive as one message when the two-second period ends.
      const summary = await waitFor(() => Promise.resolve(slack.webhookPosts[1]), 10_000, "the repeat summary");
      expect(summary).toContain("the same error occurred 4 more time(s) since the last report");
      expect(slack.webhookPosts).toHaveLength(2);
    });
  });

  it("answers requests while Slack hangs or fails, and the process stays up", async () => {
    for (const mode of ["slow", "down"] as const) {
      slack.setMode(mode);
      await new Promise((resolve) => setTimeout(resolve, 2_100)); // a new throttle period: the next error is posted
      await withBrokenTable(async () => {
        const outcomes = await Promise.all(Array.from({ length: 30 }, failingCall));
        expect(outcomes).toEqual(Array(30).fill("INTERNAL_SERVER_ERROR"));
      });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(await client.activityTags.list.query()).toEqual([]);
    }
    slack.setMode("up");
  });
});
