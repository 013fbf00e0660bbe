import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { useCallback, useState } from "react";
import type { RouterOutputs } from "@daycarat/client";
import { Field, FormError } from "../components/field.tsx";
import { useAutosave, type AutosaveStatus } from "../lib/autosave.ts";
import { koreanMessage } from "../lib/errors.ts";
import { SOARA_QUESTIONS, soaraFields, type SoaraField } from "../lib/labels.ts";
import { useTRPC, useTRPCClient } from "../lib/trpc.ts";

type Answers = Record<SoaraField, string>;
type Gem = RouterOutputs["gems"]["get"];
const route = getRouteApi("/app/episodes/$episodeId/gem");

const STATUS_TEXT: Record<AutosaveStatus, string> = {
  idle: "",
  pending: "입력 중…",
  saving: "저장 중…",
  saved: "자동 저장됨",
  failed: "저장하지 못했어요. 연결되면 다시 저장할게요.",
};

const toAnswers = (gem: Gem): Answers => Object.fromEntries(soaraFields.map((field) => [field, gem?.[field] ?? ""])) as Answers;

/** The fields the API named as unanswered ("missing: situation, action"). */
const missingFields = (error: unknown): SoaraField[] =>
  soaraFields.filter((field) => error instanceof Error && new RegExp(`missing:.*\\b${field}\\b`).test(error.message));

function GemEditor({ episodeId, initial }: { episodeId: string; initial: Answers }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [answers, setAnswers] = useState(initial);
  const [unanswered, setUnanswered] = useState<SoaraField[]>([]);
  // Blank answers are sent as null (cleared): the API refuses blank text.
  const save = useCallback(
    (value: Answers) =>
      client.gems.saveDraft.mutate({
        episodeId,
        ...Object.fromEntries(soaraFields.map((field) => [field, value[field].trim() ? value[field] : null])),
      }),
    [client, episodeId],
  );
  const autosave = useAutosave(answers, save);
  const submit = useMutation({
    mutationFn: async () => {
      await autosave.flush();
      return client.gems.submit.mutate({ episodeId });
    },
    onSuccess: async () => {
      for (const router of [trpc.gems, trpc.episodes, trpc.stats, trpc.me])
        await queryClient.invalidateQueries({ queryKey: router.pathKey() });
      await navigate({ to: "/episodes/$episodeId/analysis", params: { episodeId } });
    },
    onError: (error) => {
      setUnanswered(missingFields(error));
    },
  });

  return (
    <form
      className="card"
      onSubmit={(event) => {
        event.preventDefault();
        const blank = soaraFields.filter((field) => !answers[field].trim());
        setUnanswered(blank);
        if (blank.length === 0) submit.mutate();
      }}
    >
      {soaraFields.map((field) => (
        <Field key={field} label={SOARA_QUESTIONS[field]} error={unanswered.includes(field) ? "답변을 입력해 주세요." : undefined}>
          {(control) => (
            <textarea
              {...control}
              value={answers[field]}
              onChange={(event) => {
                setAnswers({ ...answers, [field]: event.target.value });
              }}
            />
          )}
        </Field>
      ))}
      <p role="status" className="meta">
        {STATUS_TEXT[autosave.status]}
      </p>
      <FormError message={submit.error && unanswered.length === 0 ? koreanMessage(submit.error) : null} />
      <button type="submit" disabled={submit.isPending}>
        {submit.isPending ? "제출 중…" : "보석 제출하고 AI 분석 받기"}
      </button>
    </form>
  );
}

export function GemScreen() {
  const { episodeId } = route.useParams();
  const trpc = useTRPC();
  const episode = useQuery(trpc.episodes.get.queryOptions({ id: episodeId }));
  // The editor starts from the saved answers once, then the autosave owns them.
  const gem = useQuery({ ...trpc.gems.get.queryOptions({ episodeId }), staleTime: Infinity, refetchOnWindowFocus: false });
  if (gem.error) return <FormError message={koreanMessage(gem.error)} />;
  return (
    <>
      <h1>보석 다듬기{episode.data ? `: ${episode.data.title}` : ""}</h1>
      <p>SOARA의 다섯 질문에 답해 보세요. 쓰는 대로 자동 저장돼요.</p>
      {gem.isSuccess ? <GemEditor episodeId={episodeId} initial={toAnswers(gem.data)} /> : <p>불러오는 중…</p>}
    </>
  );
}
