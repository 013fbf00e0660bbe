import { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@daycarat/api";

/** The stable error codes the API answers with. */
export type ErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "TOO_MANY_REQUESTS"
  | "INTERNAL_SERVER_ERROR"
  | "SERVICE_UNAVAILABLE"
  | (string & {});

/** An error the API answered with (or a transport failure), typed with the API's error shape. */
export type DayCaratError = TRPCClientError<AppRouter>;

export function isDayCaratError(error: unknown): error is DayCaratError {
  return error instanceof TRPCClientError;
}

/** The API's code for an error, or undefined when the request never got an answer. */
export function errorCode(error: unknown): ErrorCode | undefined {
  return isDayCaratError(error) ? error.data?.code : undefined;
}

/** For BAD_REQUEST: which fields were wrong and why. */
export function fieldIssues(error: unknown): { path: string; message: string }[] {
  return (isDayCaratError(error) ? error.data?.issues : undefined) ?? [];
}
