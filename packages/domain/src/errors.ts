/** The stable codes a refusal carries; the API answers each with its HTTP status. */
export type DomainErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "TOO_MANY_REQUESTS"
  | "SERVICE_UNAVAILABLE";

/**
 * A request the domain refuses, with a message fit for the caller. Anything else thrown is a
 * fault: logged, and answered as INTERNAL without its text. The API maps this type once
 * (packages/api/src/trpc.ts); Slack and the worker read `code` themselves.
 */
export class DomainError extends Error {
  readonly code: DomainErrorCode;

  constructor(code: DomainErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DomainError";
    this.code = code;
  }
}
