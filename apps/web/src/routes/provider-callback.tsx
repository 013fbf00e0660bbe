import { useMutation } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect } from "react";
import { koreanMessage } from "../lib/errors.ts";
import { providerToken, type Provider } from "../lib/providers.ts";
import { useTRPCClient } from "../lib/trpc.ts";
import { useAfterSignIn } from "./sign-in.tsx";

/** Back from Kakao or Apple: the provider's token is exchanged for a DayCarat session. */
function ProviderCallback({ provider }: { provider: Provider }) {
  const client = useTRPCClient();
  const afterSignIn = useAfterSignIn();
  const { mutate, error } = useMutation({
    mutationFn: async () => {
      const token = await providerToken(provider);
      return provider === "kakao" ? client.auth.kakao.mutate({ accessToken: token }) : client.auth.apple.mutate({ identityToken: token });
    },
    onSuccess: ({ user }) => afterSignIn(user),
  });
  useEffect(() => {
    mutate();
  }, [mutate]);
  return (
    <main className="narrow card" aria-live="polite">
      {error ? (
        <>
          <p className="field-error">로그인하지 못했어요. {koreanMessage(error)}</p>
          <Link to="/sign-in">다시 시도하기</Link>
        </>
      ) : (
        <p>로그인하는 중…</p>
      )}
    </main>
  );
}

export const KakaoCallbackScreen = () => <ProviderCallback provider="kakao" />;
export const AppleCallbackScreen = () => <ProviderCallback provider="apple" />;
