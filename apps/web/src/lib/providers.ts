import { appleClientId, kakaoRestApiKey } from "./config.ts";

// Kakao and Apple sign-in by redirect: the provider sends the browser back to /auth/<provider>,
// where the app gets the token the API checks (auth.kakao's access token, auth.apple's identity token).

export type Provider = "kakao" | "apple";
const STATE_KEY = "daycarat.sign-in-state";

const callbackUrl = (provider: Provider) => `${window.location.origin}/auth/${provider}`;

/** Sends the browser to the provider's sign-in page. */
export function startProviderSignIn(provider: Provider): void {
  const state = crypto.randomUUID();
  sessionStorage.setItem(STATE_KEY, state);
  const url =
    provider === "kakao" ? new URL("https://kauth.kakao.com/oauth/authorize") : new URL("https://appleid.apple.com/auth/authorize");
  const params: Record<string, string> =
    provider === "kakao"
      ? { client_id: kakaoRestApiKey ?? "", redirect_uri: callbackUrl("kakao"), response_type: "code", state }
      : {
          client_id: appleClientId ?? "",
          redirect_uri: callbackUrl("apple"),
          response_type: "code id_token",
          response_mode: "fragment",
          state,
        };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  window.location.assign(url);
}

/** The token the provider's redirect carries (the state must be the one this tab sent). */
export async function providerToken(provider: Provider): Promise<string> {
  const params = new URLSearchParams(provider === "kakao" ? window.location.search : window.location.hash.slice(1));
  const expected = sessionStorage.getItem(STATE_KEY);
  sessionStorage.removeItem(STATE_KEY);
  if (!expected || params.get("state") !== expected) throw new Error("sign-in state mismatch");
  if (provider === "apple") {
    const idToken = params.get("id_token");
    if (!idToken) throw new Error("Apple sent no identity token");
    return idToken;
  }
  // Kakao's token endpoint answers browsers (CORS) for a REST API key without a client secret.
  const response = await fetch("https://kauth.kakao.com/oauth/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: kakaoRestApiKey ?? "",
      redirect_uri: callbackUrl("kakao"),
      code: params.get("code") ?? "",
    }),
  });
  const { access_token: accessToken } = (await response.json()) as { access_token?: string };
  if (!response.ok || !accessToken) throw new Error("Kakao refused the sign-in code");
  return accessToken;
}
