import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { Field, FormError } from "../components/field.tsx";
import { StrengthsInput } from "../components/strengths-input.tsx";
import { koreanFieldErrors, koreanMessage } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";

interface Profile {
  nickname: string;
  jobTitle: string | null;
  strengths: string[];
}

function OnboardingForm({ initial }: { initial: Profile }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [nickname, setNickname] = useState(initial.nickname);
  const [jobTitle, setJobTitle] = useState(initial.jobTitle ?? "");
  const [strengths, setStrengths] = useState(initial.strengths);
  const save = useMutation(
    trpc.me.update.mutationOptions({
      onSuccess: async (profile) => {
        queryClient.setQueryData(trpc.me.get.queryKey(), profile);
        await navigate({ to: "/" });
      },
    }),
  );
  const errors = koreanFieldErrors(save.error);
  return (
    <form
      className="card"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ nickname, jobTitle: jobTitle.trim() || null, strengths, onboarded: true });
      }}
    >
      <Field label="닉네임" error={errors.nickname}>
        {(control) => (
          <input
            {...control}
            required
            value={nickname}
            onChange={(event) => {
              setNickname(event.target.value);
            }}
          />
        )}
      </Field>
      <Field label="희망 직군" error={errors.jobTitle} hint="예: 백엔드 개발자, 서비스 기획자">
        {(control) => (
          <input
            {...control}
            value={jobTitle}
            onChange={(event) => {
              setJobTitle(event.target.value);
            }}
          />
        )}
      </Field>
      <Field label="나의 강점" error={Object.entries(errors).find(([path]) => path.startsWith("strengths"))?.[1]} hint="최대 10개">
        {(control) => <StrengthsInput control={control} value={strengths} onChange={setStrengths} />}
      </Field>
      <FormError message={save.error && Object.keys(errors).length === 0 ? koreanMessage(save.error) : null} />
      <button type="submit" disabled={save.isPending}>
        저장하고 시작하기
      </button>
    </form>
  );
}

export function OnboardingScreen() {
  const trpc = useTRPC();
  const { data: me } = useQuery(trpc.me.get.queryOptions());
  return (
    <div className="narrow" style={{ marginTop: 0 }}>
      <h1>반가워요! 나를 소개해 주세요</h1>
      {me && <OnboardingForm initial={me} />}
    </div>
  );
}
