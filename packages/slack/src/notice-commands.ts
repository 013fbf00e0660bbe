import type { WebClient } from "@slack/web-api";
import { z } from "zod";
import type { DatabaseClient } from "@daycarat/db";
import { DomainError, cancelNotice, createNotice, noticeFields } from "@daycarat/domain";
import type { JobQueue } from "@daycarat/jobs";
import type { LogMethods } from "@daycarat/logger";

// Notices managed from Slack: `/notice` opens a form (a modal), submitting it creates the
// notice through the same domain function as the admin API and confirms in the channel;
// `/notice list` shows scheduled ones and `/notice cancel <id>` cancels one. Only the Slack
// users in SLACK_ADMIN_USER_IDS may do any of it. Requests arrive verified (see the server).

export interface SlackNoticeDependencies {
  db: DatabaseClient;
  jobs: JobQueue;
  slack: WebClient;
  adminUserIds: readonly string[];
  log: LogMethods;
}

/** What Slack shows the person who typed the command: only they see it. */
interface Ephemeral {
  response_type: "ephemeral";
  text: string;
}
const ephemeral = (text: string): Ephemeral => ({ response_type: "ephemeral", text });

const CALLBACK_ID = "notice.create";
const PUSH_OPTION = { text: { type: "plain_text", text: "모든 기기에 푸시 알림도 보내기" }, value: "push" } as const;
const NOT_ALLOWED = "공지 관리 권한이 없어요. 관리자에게 SLACK_ADMIN_USER_IDS에 추가해 달라고 요청해 주세요.";
const HELP = "`/notice` 공지 작성 · `/notice list` 예약된 공지 보기 · `/notice cancel <id>` 예약 취소";

const koreanTime = new Intl.DateTimeFormat("ko-KR", { timeZone: "Asia/Seoul", dateStyle: "medium", timeStyle: "short" });

function noticeForm(channelId: string) {
  const label = (text: string) => ({ type: "plain_text" as const, text });
  return {
    type: "modal" as const,
    callback_id: CALLBACK_ID,
    // The channel to confirm in, carried through the form.
    private_metadata: JSON.stringify({ channelId }),
    title: label("공지 작성"),
    submit: label("게시"),
    close: label("취소"),
    blocks: [
      {
        type: "input",
        block_id: "title",
        label: label("제목"),
        element: { type: "plain_text_input", action_id: "value", max_length: 100 },
      },
      {
        type: "input",
        block_id: "body",
        label: label("본문"),
        element: { type: "plain_text_input", action_id: "value", multiline: true, max_length: 3000 },
      },
      {
        type: "input",
        block_id: "push",
        optional: true,
        label: label("푸시 알림"),
        element: { type: "checkboxes", action_id: "value", options: [PUSH_OPTION], initial_options: [PUSH_OPTION] },
      },
      {
        type: "input",
        block_id: "publishAt",
        optional: true,
        label: label("게시 시각 (비우면 바로)"),
        element: { type: "datetimepicker", action_id: "value" },
      },
    ],
  };
}

const slashCommand = z.object({
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  text: z.string().default(""),
  trigger_id: z.string().min(1),
});

/** Answers a `/notice …` command; the return value is the HTTP response's JSON. */
export async function handleNoticeCommand(deps: SlackNoticeDependencies, form: URLSearchParams): Promise<Ephemeral | undefined> {
  const parsed = slashCommand.safeParse(Object.fromEntries(form));
  if (!parsed.success) return ephemeral("요청을 읽을 수 없어요.");
  const command = parsed.data;
  if (!deps.adminUserIds.includes(command.user_id)) return ephemeral(NOT_ALLOWED);
  const [action = "", ...rest] = command.text.trim().split(/\s+/);
  switch (action) {
    case "":
    case "new":
      await deps.slack.views.open({ trigger_id: command.trigger_id, view: noticeForm(command.channel_id) });
      return undefined;
    case "list":
      return ephemeral(await scheduledNotices(deps.db));
    case "cancel":
      return ephemeral(await cancel(deps, rest[0]));
    default:
      return ephemeral(HELP);
  }
}

async function scheduledNotices(db: DatabaseClient): Promise<string> {
  const notices = await db.notice.findMany({
    where: { status: "SCHEDULED" },
    orderBy: [{ scheduledAt: "asc" }, { id: "asc" }],
    take: 20,
    select: { id: true, title: true, scheduledAt: true, push: true },
  });
  if (notices.length === 0) return "예약된 공지가 없어요.";
  const lines = notices.map(
    (notice) =>
      `• \`${notice.id}\` ${notice.title} — ${notice.scheduledAt ? koreanTime.format(notice.scheduledAt) : "곧"}${notice.push ? " (푸시)" : ""}`,
  );
  return `예약된 공지 ${notices.length}건:\n${lines.join("\n")}`;
}

async function cancel(deps: SlackNoticeDependencies, id: string | undefined): Promise<string> {
  if (!id || !z.uuid().safeParse(id).success) return "취소할 공지의 id를 적어 주세요: `/notice cancel <id>` (`/notice list`로 확인)";
  try {
    const notice = await cancelNotice(deps, id);
    return `공지 "${notice.title}"의 예약을 취소했어요.`;
  } catch (error) {
    if (error instanceof DomainError) return error.code === "NOT_FOUND" ? "그런 공지가 없어요." : `취소할 수 없어요: ${error.message}`;
    throw error;
  }
}

/** Slack hands `private_metadata` back as the form was opened with it: JSON naming the channel. */
const formMetadata = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: "custom", message: "is not JSON" });
      return z.NEVER;
    }
  })
  .pipe(z.object({ channelId: z.string().min(1) }));

/** Whether an interaction is a submission of the notice form, whatever else it holds. */
const isNoticeForm = z.object({ type: z.literal("view_submission"), view: z.object({ callback_id: z.literal(CALLBACK_ID) }) });

const formSubmission = z.object({
  type: z.literal("view_submission"),
  user: z.object({ id: z.string() }),
  view: z.object({
    callback_id: z.literal(CALLBACK_ID),
    private_metadata: formMetadata,
    state: z.object({
      values: z.object({
        title: z.object({ value: z.object({ value: z.string().nullish() }) }),
        body: z.object({ value: z.object({ value: z.string().nullish() }) }),
        push: z.object({ value: z.object({ selected_options: z.array(z.object({ value: z.string() })).default([]) }) }),
        publishAt: z.object({ value: z.object({ selected_date_time: z.number().int().nullish() }) }),
      }),
    }),
  }),
});

const submittedNotice = z.object({
  title: noticeFields.title,
  body: noticeFields.body,
  push: z.boolean(),
  scheduledAt: noticeFields.scheduledAt.nullable(),
});

type FormAnswer = { response_action: "errors"; errors: Record<string, string> } | undefined;

/**
 * Handles an interaction; a submitted notice form creates the notice and confirms it in the
 * channel the command came from. Field problems go back to the form, next to their field.
 * A notice form that is not as this server made it (its metadata, its blocks) is refused with
 * a BAD_REQUEST DomainError before anything is written.
 */
export async function handleNoticeInteraction(deps: SlackNoticeDependencies, payload: unknown): Promise<FormAnswer> {
  if (!isNoticeForm.safeParse(payload).success) return undefined; // not our form: acknowledged and ignored
  const parsed = formSubmission.safeParse(payload);
  if (!parsed.success) throw new DomainError("BAD_REQUEST", "The notice form's submission is malformed");
  const { user, view } = parsed.data;
  if (!deps.adminUserIds.includes(user.id)) return { response_action: "errors", errors: { title: NOT_ALLOWED } };
  const { values } = view.state;
  const publishAt = values.publishAt.value.selected_date_time;
  const fields = submittedNotice.safeParse({
    title: values.title.value.value ?? "",
    body: values.body.value.value ?? "",
    push: values.push.value.selected_options.some((option) => option.value === PUSH_OPTION.value),
    scheduledAt: publishAt ? new Date(publishAt * 1000) : null,
  });
  if (!fields.success) {
    const errors = Object.fromEntries(
      fields.error.issues.map((issue) => [issue.path[0] === "scheduledAt" ? "publishAt" : String(issue.path[0]), issue.message]),
    );
    return { response_action: "errors", errors };
  }
  const notice = await createNotice(deps, { ...fields.data, author: { source: "SLACK", slackUserId: user.id } });
  const when = notice.scheduledAt ? `${koreanTime.format(notice.scheduledAt)}에` : "지금";
  const { channelId } = view.private_metadata;
  // The notice exists whatever happens to the confirmation: a failed one is only logged.
  deps.slack.chat
    .postMessage({
      channel: channelId,
      text: `📢 <@${user.id}> 님이 공지 "${notice.title}"을(를) ${when} 게시하도록 등록했어요. (id: \`${notice.id}\`)`,
    })
    .catch((err: unknown) => {
      deps.log.warn({ err, noticeId: notice.id }, "could not confirm a Slack notice in its channel");
    });
  return undefined;
}
