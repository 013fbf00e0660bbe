import type { Queue } from "pg-boss";
import type { z } from "zod";

/**
 * One job's contract, shared by the side that enqueues it and the worker that runs it:
 * the queue name, the payload schema both sides validate against, and the queue's policy.
 */
export interface JobDefinition<Name extends string = string, Payload extends z.ZodType = z.ZodType> {
  name: Name;
  payload: Payload;
  queue: Omit<Queue, "name" | "deadLetter">;
  /** Failed jobs (retries exhausted) move to this queue, where they are kept for inspection. */
  deadLetterQueue?: string;
  /** A cron schedule on which the worker enqueues the job itself. */
  schedule?: { cron: string; timeZone: string };
}

export type JobPayload<Job extends JobDefinition> = z.output<Job["payload"]>;

export function defineJob<const Name extends string, Payload extends z.ZodType>(
  definition: JobDefinition<Name, Payload>,
): JobDefinition<Name, Payload> {
  return definition;
}
