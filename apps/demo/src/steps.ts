import { printStep, type Step } from "./print.ts";

/** The story, in the order it is told. */
export const STEPS = {
  start: { number: 1, title: "Start Postgres, the stand-ins, the server and the worker" },
  signIn: { number: 2, title: "Sign in as a sample user, allow pushes, register a phone" },
  episode: { number: 3, title: "Write an episode and answer its gem's five questions" },
  liveFeed: { number: 4, title: "Open the live inbox feed (notifications.onNew)" },
  analysis: { number: 5, title: "Submit the gem: the worker asks the AI" },
  inbox: { number: 6, title: "The inbox entry and the push" },
  notice: { number: 7, title: "Publish a notice from a Slack form" },
  finish: { number: 8, title: "Stop everything" },
} as const satisfies Record<string, Step>;

/** A step that did not complete, and why. */
export class StepFailure extends Error {
  readonly step: Step;

  constructor(step: Step, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = "StepFailure";
    this.step = step;
  }
}

/** Prints the step's heading and runs it; a failure names the step. */
export async function runStep<T>(step: Step, work: () => Promise<T>): Promise<T> {
  printStep(step);
  try {
    return await work();
  } catch (error) {
    throw new StepFailure(step, error);
  }
}
