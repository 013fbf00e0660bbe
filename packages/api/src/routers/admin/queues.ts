import { z } from "zod";
import { adminProcedure } from "../../trpc.ts";

const queueHealth = z.object({
  name: z.string(),
  ready: z.number().int(),
  /** How long the longest-waiting ready job has been ready to run, in seconds (0 when none is). */
  oldestReadySeconds: z.number().min(0),
  deferred: z.number().int(),
  active: z.number().int(),
  failed: z.number().int(),
  deadLetter: z.object({ name: z.string(), waiting: z.number().int() }).nullable(),
});

/**
 * The health of every job queue: jobs waiting, deferred, running and failed, and what waits in
 * its dead-letter queue. pg-boss refreshes these counts on its monitor pass (every 10 s); the
 * oldest ready job's age is read at the call.
 */
export const queues = adminProcedure
  .meta({ openapi: { method: "GET", path: "/admin/queues", summary: "The job queues' health (admins)", tags: ["Admin"], protect: true } })
  .output(z.object({ queues: z.array(queueHealth) }))
  .query(async ({ ctx }) => ({ queues: await ctx.jobs.health() }));
