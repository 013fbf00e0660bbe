import { expect } from "vitest";
import { z } from "zod";
import { API_ERROR_CODES } from "@daycarat/api";

// The documented error shape (README, "Errors"), as tests check every error answer against it.

const errorData = z.object({
  code: z.enum(API_ERROR_CODES),
  httpStatus: z.number().int(),
  path: z.string().optional(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** A REST error body: the code as a word, at the top and in `data`. */
const restError = z.object({
  message: z.string(),
  code: z.enum(API_ERROR_CODES),
  data: errorData,
  issues: z.array(z.unknown()).optional(),
});

/** A tRPC error: JSON-RPC's `error` with the same `data`. */
const trpcError = z.object({ error: z.object({ message: z.string(), code: z.number().int(), data: errorData }) });

/** A batched tRPC answer: one result or error per call. */
const trpcBatch = z.array(z.union([trpcError, z.object({ result: z.unknown() })]));

type ErrorData = z.infer<typeof errorData>;

/** The `data` of each error an error answer holds, or the reason it is not of the documented shape. */
export function errorAnswerData(url: string, body: unknown): ErrorData[] | string {
  const isTrpc = new URL(url).pathname.startsWith("/trpc");
  const parsed = isTrpc ? z.union([trpcError, trpcBatch]).safeParse(body) : restError.safeParse(body);
  if (!parsed.success) return `not the documented ${isTrpc ? "tRPC" : "REST"} error shape: ${z.prettifyError(parsed.error)}`;
  const answers = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  return answers.flatMap((answer) => ("error" in answer ? [answer.error.data] : "data" in answer ? [answer.data] : []));
}

/** Asserts that an answer is an error of the documented shape, with its status in `data.httpStatus`. */
export async function expectDocumentedError(response: Response): Promise<ErrorData> {
  const body = (await response.json()) as unknown;
  const data = errorAnswerData(response.url, body);
  if (typeof data === "string" || !data[0]) throw new Error(`${typeof data === "string" ? data : "no error"} in ${JSON.stringify(body)}`);
  expect(data[0].httpStatus).toBe(response.status);
  expect(JSON.stringify(body)).not.toContain("stack");
  return data[0];
}
