// `pnpm demo`: the whole DayCarat story on one machine, told step by step. The real server and
// worker run on a fresh database (`daycarat_demo`, or DEMO_DATABASE_NAME) on the embedded
// Postgres of `npm start`, or on the server DATABASE_URL names; OpenAI, FCM and Slack are local
// stand-ins. Exits 0 when every step happened; on a failure it names the step, shows the apps'
// latest warnings and errors, stops everything and exits 1. Ctrl+C stops everything too.
import { loadConfigOrExit } from "@daycarat/config";
import type { AppProcess } from "./apps.ts";
import { createCleanup } from "./cleanup.ts";
import { openLiveFeed } from "./live-feed.ts";
import { publishNoticeFromSlack } from "./notice-story.ts";
import { printBanner, printDone, printFailure, printNote, printStep, say } from "./print.ts";
import { startSystem } from "./start.ts";
import { STEPS, StepFailure, runStep } from "./steps.ts";
import { analyseGem, showInboxAndPush, signIn, writeEpisode } from "./user-story.ts";

const DEFAULT_DATABASE_NAME = "daycarat_demo";
const LOG_LINES_ON_FAILURE = 8;

const startedAt = performance.now();
const { database } = loadConfigOrExit();
const cleanup = createCleanup();
const apps: AppProcess[] = [];
/** Set by Ctrl+C (or SIGTERM, or a closed terminal), whose handler then stops everything and exits. */
const interruption: { signal?: NodeJS.Signals } = {};

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    interruption.signal = signal;
    printStep({ number: STEPS.finish.number, title: `Interrupted (${signal}): stopping everything` });
    void cleanup.run().finally(() => process.exit(130));
  });
}

async function tellStory(): Promise<boolean> {
  const system = await runStep(STEPS.start, () =>
    startSystem(cleanup, {
      database,
      databaseName: process.env.DEMO_DATABASE_NAME ?? DEFAULT_DATABASE_NAME,
      onAppStarted: (app) => apps.push(app),
    }),
  );
  const client = await runStep(STEPS.signIn, () => signIn(system.server.url));
  const episodeId = await runStep(STEPS.episode, () => writeEpisode(client));
  const feed = await runStep(STEPS.liveFeed, () => openLiveFeed(client, cleanup));
  await runStep(STEPS.analysis, () => analyseGem(client, episodeId, system.standIns.openai));
  await runStep(STEPS.inbox, () => showInboxAndPush(client, feed, system.standIns.fcm));
  await runStep(STEPS.notice, () => publishNoticeFromSlack(client, system));
  return runStep(STEPS.finish, () => {
    say(`error reports the server and worker posted to the Slack webhook stand-in: ${system.standIns.slack.webhookPosts.length}`);
    return cleanup.run();
  });
}

/** A JSON log line at WARN or worse, or anything else a process printed (a crash's stack trace). */
function isWarningOrWorse(line: string): boolean {
  try {
    return ((JSON.parse(line) as { level?: number }).level ?? 0) >= 40;
  } catch {
    return true;
  }
}

function explainFailure(error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  if (error instanceof StepFailure) printFailure(error.step, reason);
  else printFailure({ number: 0, title: "the demo itself" }, reason);
  for (const app of apps) {
    const problems = app.recentLines().filter(isWarningOrWorse).slice(-LOG_LINES_ON_FAILURE);
    printNote(problems.length > 0 ? `the ${app.name}'s last warnings and errors:` : `the ${app.name} logged no warnings or errors lately`);
    for (const line of problems) printNote(`  ${line}`);
  }
}

printBanner();
try {
  const clean = await tellStory();
  printDone((performance.now() - startedAt) / 1000);
  process.exit(clean ? 0 : 1);
} catch (error) {
  // After a Ctrl+C the failures are the interruption's; its handler cleans up and exits.
  if (!interruption.signal) {
    explainFailure(error);
    printStep({ number: STEPS.finish.number, title: "Stop everything after the failure" });
    await cleanup.run();
    process.exit(1);
  }
}
