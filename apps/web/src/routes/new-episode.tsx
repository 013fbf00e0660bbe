import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { EpisodeForm, newContent, today, toEpisodeInput, type EpisodeDraft } from "../components/episode-form.tsx";
import { useStoredDraft } from "../lib/drafts.ts";
import { useTRPC } from "../lib/trpc.ts";

export function NewEpisodeScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [draft, setDraft, clearDraft] = useStoredDraft<EpisodeDraft>("new-episode", () => ({
    title: "",
    date: today(),
    activityTag: "",
    contents: [newContent()],
  }));
  const create = useMutation(
    trpc.episodes.create.mutationOptions({
      onSuccess: async (episode) => {
        clearDraft();
        await queryClient.invalidateQueries({ queryKey: trpc.episodes.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.activityTags.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.stats.pathKey() });
        await navigate({ to: "/episodes/$episodeId", params: { episodeId: episode.id } });
      },
    }),
  );
  return (
    <>
      <h1>새 경험 기록</h1>
      <EpisodeForm
        value={draft}
        onChange={(value) => {
          // An error stays until the field it concerns is edited.
          create.reset();
          setDraft(value);
        }}
        onSubmit={() => {
          create.mutate(toEpisodeInput(draft));
        }}
        submitLabel="기록 저장"
        pending={create.isPending}
        error={create.error}
      />
    </>
  );
}
