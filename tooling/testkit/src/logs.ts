import { Writable } from "node:stream";
import { createLogger, type Logger } from "@daycarat/logger";

export interface CapturedLogs {
  logger: Logger;
  /** Every line written so far, as parsed JSON. */
  lines(): Record<string, unknown>[];
  /** Every line written so far, as written. */
  text(): string;
}

/** A real logger (redaction and all) whose JSON lines the test can read. */
export function captureLogs(service = "test", level = "debug"): CapturedLogs {
  let written = "";
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      written += chunk.toString("utf8");
      callback();
    },
  });
  const logger = createLogger({ service, level, pretty: false, destination });
  return {
    logger,
    text: () => written,
    lines: () =>
      written
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** The log lines at ERROR or worse in a process's JSON output, and anything printed that is not a log line (a stack trace). */
export function errorLines(output: string): string[] {
  return output
    .split("\n")
    .filter((line) => line.trim())
    .filter((line) => {
      try {
        return ((JSON.parse(line) as { level?: number }).level ?? 0) >= 50;
      } catch {
        return true;
      }
    });
}
