import { useMutation } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { Field, FormError } from "../components/field.tsx";
import { StatusBar } from "../components/status-bar.tsx";
import { appleClientId, devSignInEnabled, kakaoRestApiKey } from "../lib/config.ts";
import { koreanFieldErrors, koreanMessage } from "../lib/errors.ts";
import { startProviderSignIn } from "../lib/providers.ts";
import { useTRPC } from "../lib/trpc.ts";

/** Where a fresh session goes: onboarding first for a profile not set up yet. */
export function useAfterSignIn(): (user: { onboarded: boolean }) => Promise<void> {
  const navigate = useNavigate();
  return (user) => navigate({ to: user.onboarded ? "/" : "/onboarding" });
}

function DevSignIn() {
  const trpc = useTRPC();
  const afterSignIn = useAfterSignIn();
  const [email, setEmail] = useState("");
  const signIn = useMutation(trpc.auth.dev.mutationOptions({ onSuccess: ({ user }) => afterSignIn(user) }));
  const errors = koreanFieldErrors(signIn.error);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        signIn.mutate({ email: email.trim() });
      }}
    >
      <Field label="이메일" error={errors.email} hint="개발용 로그인: 메일 주소만으로 시작해요.">
        {(control) => (
          <input
            {...control}
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(event) => {
              setEmail(event.target.value);
            }}
          />
        )}
      </Field>
      <FormError message={signIn.error && !errors.email ? koreanMessage(signIn.error) : null} />
      <button type="submit" disabled={signIn.isPending}>
        시작하기
      </button>
    </form>
  );
}

export function SignInScreen() {
  return (
    <>
      <StatusBar />
      <main className="narrow">
        <div className="card">
          <h1>데이캐럿 시작하기</h1>
          <p>오늘의 경험을 기록하고, 자기소개서에 쓸 보석으로 다듬어 보세요.</p>
          <div className="actions" style={{ marginBottom: "1rem" }}>
            {kakaoRestApiKey && (
              <button
                type="button"
                onClick={() => {
                  startProviderSignIn("kakao");
                }}
              >
                카카오로 시작하기
              </button>
            )}
            {appleClientId && (
              <button
                type="button"
                onClick={() => {
                  startProviderSignIn("apple");
                }}
              >
                Apple로 시작하기
              </button>
            )}
          </div>
          {devSignInEnabled && <DevSignIn />}
        </div>
      </main>
    </>
  );
}
