// One test run over the whole workspace: each package with a `test` folder is a project
// (filter with `--project @daycarat/<name>`); one Postgres serves them all, and every
// test file gets a database of its own, so files run in parallel. The test harness
// (@daycarat/testkit) is a dependency of the root, where the run starts, so that packages
// it builds on (db, logger) can use it in their tests without a dependency cycle.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "vitest/config";

const workspaceFolders = ["apps", "packages", "tooling"].flatMap((group) => readdirSync(group).map((name) => path.join(group, name)));

const projects = workspaceFolders
  .filter((folder) => existsSync(path.join(folder, "test")))
  .map((folder) => {
    const { name } = JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8")) as { name: string };
    return { extends: true as const, test: { name, include: [`${folder}/test/**/*.test.ts`] } };
  });

export default defineConfig({
  test: {
    projects,
    globalSetup: ["tooling/testkit/src/global-setup.ts"],
    // Test files mostly wait on servers, child processes and Postgres (a serial run keeps about a
    // third of two cores busy), so two run at once rather than Vitest's cores minus one (one here).
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests start servers and child processes; they read their own configuration.
    env: { NODE_ENV: "test", LOG_LEVEL: "silent" },
  },
});
