import { errorCode, fieldIssues } from "@daycarat/client";

const CODE_MESSAGES: Record<string, string> = {
  UNAUTHORIZED: "로그인이 필요해요. 다시 로그인해 주세요.",
  FORBIDDEN: "이 작업을 할 권한이 없어요.",
  NOT_FOUND: "찾을 수 없어요. 삭제되었을 수 있어요.",
  CONFLICT: "지금은 할 수 없는 작업이에요.",
  TOO_MANY_REQUESTS: "요청이 너무 많아요. 잠시 후 다시 시도해 주세요.",
  BAD_REQUEST: "입력한 내용을 확인해 주세요.",
  INTERNAL_SERVER_ERROR: "서버에 문제가 생겼어요. 잠시 후 다시 시도해 주세요.",
};

const OFFLINE_MESSAGE = "인터넷에 연결되어 있지 않아요. 연결되면 다시 시도해 주세요.";
const UNREACHABLE_MESSAGE = "서버에 연결할 수 없어요. 잠시 후 다시 시도해 주세요.";

/** The error in Korean, for a banner or next to a button. */
export function koreanMessage(error: unknown): string {
  const code = errorCode(error);
  if (code === undefined) return navigator.onLine ? UNREACHABLE_MESSAGE : OFFLINE_MESSAGE;
  return CODE_MESSAGES[code] ?? CODE_MESSAGES.INTERNAL_SERVER_ERROR ?? "";
}

/** The API's English reason for one field, said in Korean. */
function koreanIssue(message: string): string {
  const max = /at most (\d+)/.exec(message)?.[1];
  if (max) return `${Number(max).toLocaleString("ko-KR")}자 이내로 입력해 주세요.`;
  if (/blank|at least one|Too small/i.test(message)) return "내용을 입력해 주세요.";
  if (message.includes("repeat")) return "같은 값을 두 번 넣을 수 없어요.";
  if (/date|time/i.test(message)) return "날짜나 시간 형식을 확인해 주세요.";
  return "올바른 값을 입력해 주세요.";
}

/** BAD_REQUEST issues by field path (`title`, `contents.0.content`), in Korean. */
export function koreanFieldErrors(error: unknown): Record<string, string> {
  return Object.fromEntries(fieldIssues(error).map((issue) => [issue.path, koreanIssue(issue.message)]));
}
