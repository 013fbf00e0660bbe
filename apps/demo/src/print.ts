import { styleText } from "node:util";

// How the demo talks: numbered steps, then one indented line per thing that happened.
// Styling appears on a terminal only (styleText drops it for pipes and NO_COLOR).

export interface Step {
  number: number;
  title: string;
}

export const TOTAL_STEPS = 8;

function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function printBanner(): void {
  write(styleText("bold", "DayCarat demo: the whole story on this machine"));
  write("OpenAI, FCM and Slack are played by local stand-ins; nothing leaves 127.0.0.1.");
}

export function printStep({ number, title }: Step): void {
  write("");
  write(styleText("bold", `${number}/${TOTAL_STEPS}. ${title}`));
}

/** Something that happened, as one line under the current step. */
export function say(text: string): void {
  write(`   ${styleText("green", "✓")} ${text}`);
}

/** A detail of the line above it (a field, a sentence). */
export function detail(label: string, value: string): void {
  write(`       ${styleText("dim", `${label}:`)} ${value}`);
}

/** Something arriving on its own, while a step runs (the live feed). */
export function announce(text: string): void {
  write(`   ${styleText("cyan", "⚡")} ${text}`);
}

export function printFailure(step: Step, reason: string): void {
  write("");
  write(styleText(["bold", "red"], `✗ Step ${step.number} (${step.title}) failed: ${reason}`));
}

export function printNote(text: string): void {
  write(styleText("dim", `   ${text}`));
}

export function printDone(seconds: number): void {
  write("");
  write(styleText("bold", `Demo finished in ${seconds.toFixed(1)} s.`));
}
