import { describe, expect, it } from "vitest";
import { createErrorReporter } from "@daycarat/slack";
import { startFakeSlack } from "@daycarat/testkit";

// Which error lines count as the same error, posted once per period: the reporter against the
// Slack webhook stand-in, fed log lines as pino writes them.

const slack = await startFakeSlack();

/** Writes each line to a fresh reporter (a period longer than the test) and returns what Slack got. */
async function postsFor(lines: object[]): Promise<string[]> {
  const before = slack.webhookPosts.length;
  const reporter = createErrorReporter({ webhookUrl: slack.webhookUrl, throttleMs: 600_000 });
  for (const line of lines) reporter.write(JSON.stringify({ level: 50, service: "worker", ...line }));
  await reporter.close();
  return slack.webhookPosts.slice(before);
}

const queueError = (message: string, code = "ECONNREFUSED") => ({ msg: "job queue error", err: { type: "Object", code, message } });

describe("error fingerprints", () => {
  it("take the same error with other worker ids, queues, hosts, ports, job ids and counts as one", async () => {
    const posts = await postsFor([
      queueError("connect ECONNREFUSED 127.0.0.1:54329 (Queue: analysis.run, Worker: 2be8403d-aec3-4d49-945f-aef9bade8b5d)"),
      queueError("connect ECONNREFUSED 10.0.0.12:5432 (Queue: push.deliver, Worker: f0bf6c73-2e3e-411f-a501-04431f33b88f)"),
      queueError("connect ECONNREFUSED [::1]:5432 (Queue: notice.publish, Worker: 94dbeaa1-503c-4b6a-b253-c38c1ac71c5d)"),
      {
        msg: "procedure failed",
        err: {
          type: "PrismaClientKnownRequestError",
          code: "P1001",
          message: "\nInvalid `prisma.user.findUnique()` invocation:\n\n\nCan't reach database server at db.internal:5432",
        },
      },
      {
        msg: "procedure failed",
        err: {
          type: "PrismaClientKnownRequestError",
          code: "P1001",
          message: "\nInvalid `prisma.episode.findMany()` invocation:\n\n\nCan't reach database server at db.internal:6543",
        },
      },
      {
        msg: "job failed for good",
        err: { type: "Error", message: "notice 0193a0c4-1111-7000-8000-00000000beef failed after 5 attempts in 1200 ms" },
      },
      {
        msg: "job failed for good",
        err: { type: "Error", message: "notice 0193a0c4-2222-7000-8000-00000000cafe failed after 3 attempts in 95 ms" },
      },
    ]);
    expect(posts).toHaveLength(3);
    expect(posts[0]).toContain("ECONNREFUSED 127.0.0.1:54329");
  });

  it("keep different errors apart: another message, code, type, log message or service", async () => {
    const posts = await postsFor([
      queueError('relation "activity_tags" does not exist', "42P01"),
      queueError('relation "users" does not exist', "42P01"),
      queueError("terminating connection due to administrator command", "57P01"),
      queueError("terminating connection due to administrator command", "57P03"),
      { ...queueError("terminating connection due to administrator command", "57P03"), msg: "procedure failed" },
      { ...queueError("terminating connection due to administrator command", "57P03"), service: "server" },
      {
        ...queueError("terminating connection due to administrator command", "57P03"),
        err: { type: "DatabaseError", code: "57P03", message: "terminating connection due to administrator command" },
      },
    ]);
    expect(posts).toHaveLength(7);
  });

  it("take every error of a database outage as one per service and log message, whatever the driver said", async () => {
    const unavailable = (line: { msg: string; service?: string; err: object }) => ({ ...line, databaseUnavailable: true });
    const posts = await postsFor([
      unavailable(queueError("terminating connection due to administrator command (Queue: a, Worker: 1)", "57P01")),
      unavailable(queueError("the database system is shutting down", "57P03")),
      unavailable({ msg: "job queue error", err: { type: "Error", code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:5432" } }),
      unavailable({ msg: "job queue error", err: { type: "Error", message: "Connection terminated unexpectedly" } }),
      unavailable({ ...queueError("the database system is starting up", "57P03"), service: "server" }),
      unavailable({ msg: "database unavailable: answering 503 until it is back", service: "server", err: { code: "P1001" } }),
      // Not marked: the same text as an unrelated failure stays apart.
      queueError("the database system is shutting down", "57P03"),
    ]);
    expect(posts).toHaveLength(4);
    expect(posts[0]).toContain("terminating connection due to administrator command");
  });
});
