// Dependency rules for the whole workspace, checked by `pnpm check` (dependency-cruiser).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "No import circles, type-only imports included: a circle hides which module owns what.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "packages-never-import-apps",
      comment: "Apps are composition roots: they use packages, never the other way round.",
      severity: "error",
      from: { path: "^packages/" },
      to: { path: "^apps/" },
    },
    {
      name: "src-never-imports-tooling",
      comment:
        "What ships (code under src/) never depends on the test and dev harness; the launcher and the demo are dev tools built on it (@daycarat/devkit).",
      severity: "error",
      from: { path: "^(apps|packages)/[^/]+/src/", pathNot: "^apps/(launcher|demo)/src/" },
      to: { path: "^tooling/" },
    },
    {
      name: "no-reaching-into-another-workspace",
      comment: "Import another workspace package by its name and exports, never by a relative path into it.",
      severity: "error",
      from: { path: "^(apps|packages|tooling)/([^/]+)/" },
      to: { path: "^(apps|packages|tooling)/", pathNot: "^$1/$2/", dependencyTypes: ["local"] },
    },
    {
      name: "pg-boss-only-in-jobs",
      comment: "The job queue is a port: only packages/jobs knows pg-boss.",
      severity: "error",
      from: { pathNot: "^packages/jobs/" },
      to: { path: "(^|/)node_modules/pg-boss/" },
    },
    {
      name: "client-has-no-server-code",
      comment: "The client SDK (and every front end) depends on the server's types only.",
      severity: "error",
      from: { path: "^packages/client/src/" },
      to: {
        path: "^packages/(?!client/)|(^|/)node_modules/(@prisma|pg|pg-boss|fastify|firebase-admin|openai|pino|@slack)/",
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "server-loads-no-worker-sdks",
      comment:
        "The server never loads the worker's SDKs (start-up time, memory): worker-only work lives behind @daycarat/domain/worker and @daycarat/push/fcm.",
      severity: "error",
      from: { path: "^(apps/server/src|packages/api/src)/" },
      to: { path: "(^|/)node_modules/(openai|firebase-admin)/", reachable: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(generated|\\.turbo|dist)/" },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "node", "default", "types"] },
  },
};
