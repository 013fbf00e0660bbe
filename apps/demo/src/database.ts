import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { dropDatabase, ensureDatabase } from "@daycarat/db";
import { withoutPassword } from "@daycarat/logger";
import type { DatabaseReadyMessage } from "./embedded-database.ts";

export interface DemoDatabase {
  /** The demo database's connection string, for the server and the worker. */
  url: string;
  /** Where it lives, in words. */
  description: string;
  /** What to stop at the end, if the demo started anything for it. */
  stop?: { what: string; run: () => Promise<void> };
}

const EMBEDDED_DATABASE_MAIN = fileURLToPath(new URL("embedded-database.ts", import.meta.url));

/** Starts the database process and waits for its report; its output is kept for a failure's message. */
async function startEmbeddedDatabase(): Promise<{ child: ChildProcess; ready: DatabaseReadyMessage }> {
  const child = spawn(process.execPath, [EMBEDDED_DATABASE_MAIN], {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    detached: true,
  });
  let output = "";
  const keep = (chunk: string) => (output += chunk);
  child.stdout?.setEncoding("utf8").on("data", keep);
  child.stderr?.setEncoding("utf8").on("data", keep);
  const [ready] = (await Promise.race([
    once(child, "message"),
    once(child, "exit").then(() => {
      throw new Error(`the embedded Postgres did not start:\n${output.trim()}`);
    }),
  ])) as [DatabaseReadyMessage];
  return { child, ready };
}

async function stopEmbeddedDatabase(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  // Closing the channel is the database process's cue to stop the cluster it started.
  child.disconnect();
  await exited;
}

/** `name` on the server behind `adminUrl`, dropped and created again so that every run starts clean. */
async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  await dropDatabase(adminUrl, name);
  await ensureDatabase(adminUrl, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The demo's own database, `name`, on the server DATABASE_URL names, or else on the embedded
 * Postgres `npm start` uses (reused when it runs, and then left running). Other databases on
 * the server are not touched, so a running system carries on undisturbed.
 */
export async function openDemoDatabase(serverUrl: string | undefined, name: string): Promise<DemoDatabase> {
  if (serverUrl) {
    const url = await freshDatabase(serverUrl, name);
    return { url, description: `database ${name} on the server DATABASE_URL names (${withoutPassword(url)})` };
  }
  const { child, ready } = await startEmbeddedDatabase();
  try {
    const url = await freshDatabase(ready.adminUrl, name);
    const cluster = ready.reused
      ? `the embedded Postgres already running on port ${ready.port} (npm start's; it stays up)`
      : `the embedded Postgres in ${ready.dataDir}, port ${ready.port}`;
    const what = ready.reused ? "the database process (npm start's Postgres keeps running)" : "the embedded Postgres";
    return { url, description: `database ${name} on ${cluster}`, stop: { what, run: () => stopEmbeddedDatabase(child) } };
  } catch (error) {
    await stopEmbeddedDatabase(child);
    throw error;
  }
}
