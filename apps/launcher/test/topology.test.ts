import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createDayCaratClient, errorCode, memoryTokenStore, type DayCaratClient } from "@daycarat/client";
import { deliverPushesJob, notifyUserJob } from "@daycarat/jobs";
import { findJobs } from "@daycarat/jobs/testing";
import { waitFor } from "@daycarat/testkit";
import { callsBetween, readStatementCalls, startTopology, type StatementCalls } from "./topology.ts";

// docs/deploy.md's topology under a workload of a few users, each writing through one server and
// reading through the other: the replica serves their lists and statistics, nobody misses their
// own write, a server and a worker SIGKILLed in the middle lose nothing (the client carries on
// with the other server, the other worker finishes every job), and with the replica stopped the
// reads go to the primary without an error.

const USERS = 6;
const ROUNDS = 6;
/** A user's pause between rounds, so that their calls are still coming when the kill comes. */
const PAUSE_MS = 500;
/** The kill comes once this many gems were submitted (the middle of the workload), while the worker calls the model. */
const KILL_AFTER_SUBMISSIONS = (USERS * ROUNDS) / 2;
/** The workload's rounds take a few seconds; its middle comes well within this. */
const WORKLOAD_TIMEOUT_MS = 60_000;
/**
 * A dead worker's jobs (its analyses, a batch of personal notifications it held) run again within
 * about half a minute (10 s heartbeat, the monitor's pass, the retry delay, the next poll).
 */
const SETTLE_TIMEOUT_MS = 60_000;

const SOARA = {
  situation: "서비스 출시 전날 서버 한 대가 갑자기 멈췄다",
  objective: "사용자가 눈치채지 못하게 서비스를 이어 가기로 했다",
  action: "남은 서버로 요청을 돌리고 멈춘 작업을 다시 맡겼다",
  result: "잃어버린 요청 없이 출시를 마쳤다",
  aftermath: "장애 훈련을 정기 점검에 넣었다",
};

const topology = await startTopology();

interface Figures {
  calls: number;
  /** The calls among them that read lists or statistics, which a replica may serve. */
  reads: number;
  /** Calls whose server was unreachable, repeated on the next one. */
  failovers: number;
  /** Calls that failed on every server, or were refused. */
  errors: string[];
  readYourWritesViolations: number;
}

const figures: Figures = { calls: 0, reads: 0, failovers: 0, errors: [], readYourWritesViolations: 0 };

/** fetch that tries the servers in `order`, moving on when one cannot be reached (as a load balancer would). */
function failoverFetch(order: readonly string[], onFailover: () => void): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    let lastError: unknown;
    for (const [attempt, server] of order.entries()) {
      url.host = new URL(server).host;
      try {
        return await fetch(url, init);
      } catch (error) {
        lastError = error;
        if (attempt < order.length - 1) onFailover();
      }
    }
    throw lastError;
  };
}

interface User {
  email: string;
  /** Writes go to the user's home server first. */
  writer: DayCaratClient;
  /** Reads go to the other server first, which has to know about the user's writes too. */
  reader: DayCaratClient;
  /** The user's calls repeated on the other server so far. */
  failovers: number;
}

function userOf(index: number): User {
  const tokens = memoryTokenStore();
  const [{ url: first }, { url: second }] = topology.servers;
  const [home, other] = index % 2 === 0 ? [first, second] : [second, first];
  const onFailover = () => {
    figures.failovers++;
    user.failovers++;
  };
  const via = (...order: string[]) => createDayCaratClient({ url: order[0] ?? "", tokens, fetch: failoverFetch(order, onFailover) });
  const user: User = { email: `topology-${index}@daycarat.dev`, writer: via(home, other), reader: via(other, home), failovers: 0 };
  return user;
}

/** One call of the workload, counted; a failure is recorded as an error instead of thrown. */
async function call<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
  figures.calls++;
  try {
    return await work();
  } catch (error) {
    figures.errors.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** A call that reads a list or statistics. */
function read<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
  figures.reads++;
  return call(what, work);
}

const users = Array.from({ length: USERS }, (_, index) => userOf(index));
const submittedAnalyses: string[] = [];
/** The read statements the replica served during the workload: the lists' and statistics'. */
const replicaStatements = new Set<string>();

const snapshotReads = async (): Promise<{ replica: StatementCalls; primary: StatementCalls }> => ({
  replica: await readStatementCalls(topology.replicaUrl, { appReads: true }),
  primary: await readStatementCalls(topology.primaryUrl, { appReads: false }),
});

async function prepare({ email, writer }: User): Promise<void> {
  await writer.auth.dev.mutate({ email });
  await writer.me.update.mutate({ pushAllowed: true });
  await writer.preferences.update.mutate({ quietHours: { enabled: false } });
  await writer.devices.register.mutate({ token: `device-of-${email}`, platform: "ANDROID" });
}

/**
 * Submits the gem. A server killed after it committed the submission but before it answered makes
 * the repeat on the other server find the gem already being analysed: the submission happened,
 * and its analysis is the one to follow, as the app would show it. Without a repeat, that refusal
 * is an error like any other.
 */
async function submitGem(user: User, episodeId: string) {
  const failoversBefore = user.failovers;
  try {
    return await user.writer.gems.submit.mutate({ episodeId });
  } catch (error) {
    const running =
      errorCode(error) === "CONFLICT" && user.failovers > failoversBefore && (await user.writer.gems.analysis.query({ episodeId }));
    if (!running) throw error;
    return running;
  }
}

/**
 * A round: the inbox, as a user opening the app sees it; an episode, then its gem submitted for
 * analysis, each write read back at once through the other server.
 */
async function round(user: User, index: number): Promise<void> {
  const { writer, reader } = user;
  await read("notifications.list", () => reader.notifications.list.query({}));
  const episode = await call("episodes.create", () =>
    writer.episodes.create.mutate({
      title: `두 서버 사이의 경험 ${index}`,
      date: "2026-11-30",
      activityTag: "토폴로지 시험",
      contents: [{ type: "LESSONS_LEARNED", content: "한 대가 멈춰도 다른 한 대가 이어 받는다." }],
    }),
  );
  if (!episode) return;
  const listed = await read("episodes.list", () => reader.episodes.list.query({ limit: 50 }));
  if (listed && !listed.items.some((item) => item.id === episode.id)) figures.readYourWritesViolations++;

  if (!(await call("gems.saveDraft", () => writer.gems.saveDraft.mutate({ episodeId: episode.id, ...SOARA })))) return;
  const analysis = await call("gems.submit", () => submitGem(user, episode.id));
  if (!analysis) return;
  submittedAnalyses.push(analysis.id);
  const counts = await read("stats.counts", () => reader.stats.counts.query());
  if (counts && counts.gems < index + 1) figures.readYourWritesViolations++;
}

/** Where unfinished work stands, for a failure to explain itself. */
async function stuckWork(): Promise<string> {
  const [deliveries, ...jobs] = await Promise.all([
    topology.db.notificationDelivery.groupBy({ by: ["status"], _count: true }),
    ...[notifyUserJob, deliverPushesJob].map((job) => findJobs(topology.db, job, {})),
  ]);
  const unfinishedJobs = jobs.flat().filter((job) => job.state !== "completed");
  return JSON.stringify({ deliveries, unfinishedJobs });
}

/** The submitted analyses not SUCCEEDED, and those whose user's push was not SENT (one device each). */
async function unfinishedWork(): Promise<{ analyses: number; pushes: number }> {
  const [succeeded, pushed] = await Promise.all([
    topology.db.analysis.count({ where: { id: { in: submittedAnalyses }, status: "SUCCEEDED" } }),
    topology.db.notificationDelivery.count({ where: { status: "SENT", notification: { type: "ANALYSIS_SUCCEEDED" } } }),
  ]);
  return { analyses: submittedAnalyses.length - succeeded, pushes: submittedAnalyses.length - pushed };
}

describe("N servers and M workers on a primary, a streaming replica and PgBouncer", () => {
  it(
    "serve reads from the replica, read a user's own writes, and lose nothing when a server and a worker are killed",
    async () => {
      await Promise.all(users.map(prepare));
      const before = await snapshotReads();

      const [killedServer, killedWorker] = [topology.servers[0], topology.workers[0]];
      const kill = waitFor(
        () => Promise.resolve(submittedAnalyses.length >= KILL_AFTER_SUBMISSIONS && killedWorker.isCallingTheModel() ? true : undefined),
        WORKLOAD_TIMEOUT_MS,
        "the middle of the workload",
      ).then(async () => {
        const running = await topology.db.analysis.count({ where: { status: "RUNNING" } });
        killedServer.child.kill("SIGKILL");
        killedWorker.child.kill("SIGKILL");
        return { running, errorsBefore: figures.errors.length };
      });
      await Promise.all(
        users.map(async (user) => {
          for (let index = 0; index < ROUNDS; index++) {
            await round(user, index);
            await sleep(PAUSE_MS);
          }
        }),
      );
      const atKill = await kill;
      const after = await snapshotReads();
      for (const queryid of after.replica.keys()) replicaStatements.add(queryid);
      const servedByReplica = callsBetween(before.replica, after.replica);
      // The same statements where read-your-writes sent them: the user had just written.
      const servedByPrimary = callsBetween(before.primary, after.primary, replicaStatements);

      const unfinished = await waitFor(
        async () => {
          const work = await unfinishedWork();
          return work.analyses + work.pushes === 0 ? work : undefined;
        },
        SETTLE_TIMEOUT_MS,
        "every analysis and push to be done",
      ).catch(unfinishedWork);
      const retried = await topology.db.analysis.count({ where: { id: { in: submittedAnalyses }, attempts: { gt: 1 } } });
      const pushedTokens = new Set(topology.fcm.delivered.map((message) => message.token));
      const stuck = unfinished.analyses + unfinished.pushes > 0 ? await stuckWork() : "";

      console.log(
        [
          `topology: ${USERS} users, ${figures.calls} calls (${figures.reads} of lists and statistics) over 2 servers (writes to one, reads through the other), 2 workers`,
          `  list and statistics statements served: replica ${servedByReplica}, primary ${servedByPrimary}`,
          `  read-your-writes violations: ${figures.readYourWritesViolations}`,
          `  kill of a server and a worker: ${atKill.running} analyses running, ${figures.failovers} calls failed over, ${figures.errors.length - atKill.errorsBefore} errors after it (${figures.errors.length} in all)`,
          `  jobs: ${submittedAnalyses.length} analyses submitted, ${retried} run again after the kill, ${unfinished.analyses} lost; pushes lost: ${unfinished.pushes}`,
        ].join("\n"),
      );
      expect(figures.errors).toEqual([]);
      expect(figures.readYourWritesViolations).toBe(0);
      expect(servedByReplica).toBeGreaterThan(0);
      expect(unfinished, stuck).toEqual({ analyses: 0, pushes: 0 });
      // The killed worker's analysis was taken over: its model call never ended, so it ran again.
      expect(retried).toBeGreaterThan(0);
      expect(submittedAnalyses).toHaveLength(USERS * ROUNDS);
      expect(pushedTokens.size).toBe(USERS);
      expect(killedServer.hasExited() && killedWorker.hasExited()).toBe(true);
    },
    WORKLOAD_TIMEOUT_MS + SETTLE_TIMEOUT_MS,
  );

  it("read from the primary, without an error, while the replica is stopped", async () => {
    await topology.postgres.stopReplica();
    const before = {
      primary: await readStatementCalls(topology.primaryUrl, { appReads: false }),
      reads: figures.reads,
      errors: figures.errors.length,
    };
    for (const { reader } of users) {
      const listed = await read("episodes.list", () => reader.episodes.list.query({ limit: 50 }));
      expect(listed?.items.length).toBeGreaterThanOrEqual(ROUNDS);
      await read("stats.counts", () => reader.stats.counts.query());
    }
    const servedByPrimary = callsBetween(
      before.primary,
      await readStatementCalls(topology.primaryUrl, { appReads: false }),
      replicaStatements,
    );
    const errors = figures.errors.slice(before.errors);
    console.log(
      `replica stopped: ${figures.reads - before.reads} reads, ${servedByPrimary} list and statistics statements served by the primary, ${errors.length} errors`,
    );
    expect(errors).toEqual([]);
    expect(servedByPrimary).toBeGreaterThan(0);
  });
});
