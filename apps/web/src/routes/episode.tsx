import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import type { RouterOutputs } from "@daycarat/client";
import { EpisodeForm, toEpisodeInput, type EpisodeDraft } from "../components/episode-form.tsx";
import { FormError } from "../components/field.tsx";
import { koreanMessage } from "../lib/errors.ts";
import { KEYWORD_LABELS, STATE_LABELS } from "../lib/labels.ts";
import { useTRPC } from "../lib/trpc.ts";

type Episode = RouterOutputs["episodes"]["get"];
const route = getRouteApi("/app/episodes/$episodeId");

const toDraft = (episode: Episode): EpisodeDraft => ({
  title: episode.title,
  date: episode.date,
  activityTag: episode.activityTag.name,
  contents: episode.contents.map((content) => ({ ...content, key: crypto.randomUUID() })),
});

function GemSummary({ episode }: { episode: Episode }) {
  const params = { episodeId: episode.id };
  return (
    <section className="card" aria-labelledby="gem-heading">
      <h2 id="gem-heading" style={{ marginTop: 0 }}>
        보석
      </h2>
      <p className="meta">
        <span>{STATE_LABELS[episode.state]}</span>
        {episode.keyword !== "UNSET" && <span>#{KEYWORD_LABELS[episode.keyword]}</span>}
      </p>
      <div className="actions">
        <Link to="/episodes/$episodeId/gem" params={params} className="button">
          {episode.gem ? "보석 다듬기" : "보석 만들기"}
        </Link>
        {episode.analysis && (
          <Link to="/episodes/$episodeId/analysis" params={params} className="button secondary">
            AI 분석 보기
          </Link>
        )}
      </div>
    </section>
  );
}

function EpisodeEditor({ episode }: { episode: Episode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [draft, setDraft] = useState(() => toDraft(episode));
  const [saved, setSaved] = useState(false);
  const refresh = async () => {
    for (const router of [trpc.episodes, trpc.activityTags, trpc.stats])
      await queryClient.invalidateQueries({ queryKey: router.pathKey() });
  };
  const update = useMutation(
    trpc.episodes.update.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.episodes.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        await navigate({ to: "/" });
      },
    }),
  );
  return (
    <>
      <EpisodeForm
        value={draft}
        onChange={(value) => {
          setSaved(false);
          update.reset();
          setDraft(value);
        }}
        onSubmit={() => {
          update.mutate({ id: episode.id, ...toEpisodeInput(draft) });
        }}
        submitLabel="변경 저장"
        pending={update.isPending}
        error={update.error}
      />
      <p role="status">{saved ? "저장했어요." : ""}</p>
      <div className="actions">
        <button
          type="button"
          className="danger"
          disabled={remove.isPending}
          onClick={() => {
            if (window.confirm("이 기록을 삭제할까요? 보석과 분석도 함께 사라져요.")) remove.mutate({ id: episode.id });
          }}
        >
          기록 삭제
        </button>
      </div>
      <FormError message={remove.error ? koreanMessage(remove.error) : null} />
    </>
  );
}

export function EpisodeScreen() {
  const { episodeId } = route.useParams();
  const trpc = useTRPC();
  const episode = useQuery(trpc.episodes.get.queryOptions({ id: episodeId }));
  if (episode.error) return <FormError message={koreanMessage(episode.error)} />;
  if (!episode.data) return <p>불러오는 중…</p>;
  return (
    <>
      <h1>{episode.data.title}</h1>
      <GemSummary episode={episode.data} />
      {/* Keyed by id: another episode starts from its own saved values. */}
      <EpisodeEditor key={episode.data.id} episode={episode.data} />
    </>
  );
}
