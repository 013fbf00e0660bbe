import { expect } from "vitest";
import { errorCode, fieldIssues } from "@daycarat/client";

/** The error code a call was refused with; the test fails if the call succeeded. */
export async function refusalCode(call: Promise<unknown>): Promise<string | undefined> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, "the call should have been refused").toBeDefined();
  return errorCode(error);
}

/** Expects the call to be refused as BAD_REQUEST with an issue naming `field`. */
export async function expectFieldRefused(call: Promise<unknown>, field: string): Promise<void> {
  const error = await call.catch((caught: unknown) => caught);
  expect(errorCode(error), field).toBe("BAD_REQUEST");
  expect(
    fieldIssues(error).map((issue) => issue.path),
    field,
  ).toContain(field);
}
