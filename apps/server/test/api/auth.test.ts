import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { createDayCaratClient, errorCode, memoryTokenStore } from "@daycarat/client";
import { sendJson, startLocalServer } from "@daycarat/testkit";
import { expiredAccessToken, startTestApi } from "../test-server.ts";

// Kakao's user-info API, as the server calls it: GET /v2/user/me with the app's token.
const kakaoUsers: Record<string, unknown> = {
  "kakao-token-jiwoo": {
    id: 4051234567,
    kakao_account: { email: "jiwoo@kakao.com", profile: { nickname: "지우🌱", profile_image_url: "https://k.kakaocdn.net/p.jpg" } },
  },
  "kakao-token-no-email": { id: 4059999999 },
};
const kakao = await startLocalServer((request, response) => {
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1] ?? "";
  const user = kakaoUsers[token];
  if (request.url !== "/v2/user/me") sendJson(response, 404, {});
  else if (token === "kakao-token-outage") sendJson(response, 503, { msg: "maintenance" });
  else if (!user) sendJson(response, 401, { msg: "this access token does not exist", code: -401 });
  else sendJson(response, 200, user);
});

// Apple's key set: keys can be published during the test, as Apple rotates them.
const publishedKeys: JWK[] = [];
const apple = await startLocalServer((_request, response) => {
  sendJson(response, 200, { keys: publishedKeys });
});
async function appleKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}
type AppleKey = Awaited<ReturnType<typeof appleKey>>;
const APPLE_CLIENT_ID = "app.daycarat.ios";
function identityToken(key: AppleKey, claims: { sub?: string; aud?: string; exp?: number; iss?: string } = {}) {
  return new SignJWT({ email: "seoyeon@privaterelay.appleid.com" })
    .setProtectedHeader({ alg: "RS256", kid: key.kid })
    .setIssuer(claims.iss ?? "https://appleid.apple.com")
    .setAudience(claims.aud ?? APPLE_CLIENT_ID)
    .setSubject(claims.sub ?? "001234.apple-user.0001")
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 600)
    .sign(key.privateKey);
}

const api = await startTestApi({
  KAKAO_API_URL: kakao.url,
  APPLE_JWKS_URL: `${apple.url}/auth/keys`,
  APPLE_CLIENT_IDS: `com.daycarat.web, ${APPLE_CLIENT_ID}`,
});

async function rejection(call: Promise<unknown>): Promise<string | undefined> {
  const error = await call.then(() => undefined, (caught: unknown) => caught);
  expect(error, "the call should have been rejected").toBeDefined();
  return errorCode(error);
}

describe("auth.kakao", () => {
  it("creates the user on first sign-in from Kakao's profile, and finds them afterwards", async () => {
    const first = await api.anonymous().auth.kakao.mutate({ accessToken: "kakao-token-jiwoo" });
    expect(first.isNewUser).toBe(true);
    expect(first.user).toMatchObject({ nickname: "지우🌱", email: "jiwoo@kakao.com", collectorLevel: "ROOKIE", onboarded: false });
    expect(kakao.requests.at(-1)?.headers.authorization).toBe("Bearer kakao-token-jiwoo");

    const again = await api.anonymous().auth.kakao.mutate({ accessToken: "kakao-token-jiwoo" });
    expect(again).toMatchObject({ isNewUser: false, user: { id: first.user.id } });
    expect(await api.db.identity.count({ where: { provider: "KAKAO", providerUserId: "4051234567" } })).toBe(1);
  });

  it("gives a user without email or nickname a default nickname", async () => {
    const session = await api.anonymous().auth.kakao.mutate({ accessToken: "kakao-token-no-email" });
    expect(session.user).toMatchObject({ email: null, nickname: "보석 수집가" });
  });

  it("refuses a token Kakao does not know, and reports Kakao failing as an internal error", async () => {
    expect(await rejection(api.anonymous().auth.kakao.mutate({ accessToken: "forged" }))).toBe("UNAUTHORIZED");
    expect(await rejection(api.anonymous().auth.kakao.mutate({ accessToken: "kakao-token-outage" }))).toBe("INTERNAL_SERVER_ERROR");
  });
});

describe("auth.apple", () => {
  const keys = { current: appleKey("apple-key-1"), rotated: appleKey("apple-key-2"), stranger: appleKey("apple-key-1") };

  it("signs in with a valid identity token and caches Apple's keys", async () => {
    publishedKeys.push((await keys.current).jwk);
    const token = await identityToken(await keys.current);
    const first = await api.anonymous().auth.apple.mutate({ identityToken: token });
    expect(first).toMatchObject({ isNewUser: true, user: { email: "seoyeon@privaterelay.appleid.com" } });
    const again = await api.anonymous().auth.apple.mutate({ identityToken: await identityToken(await keys.current) });
    expect(again).toMatchObject({ isNewUser: false, user: { id: first.user.id } });
    expect(apple.requests).toHaveLength(1);
  });

  it("refuses a bad signature, another audience, an expired token and another issuer", async () => {
    const forged = await identityToken(await keys.stranger); // same key id, different key
    const otherApp = await identityToken(await keys.current, { aud: "com.someone.else" });
    const expired = await identityToken(await keys.current, { exp: Math.floor(Date.now() / 1000) - 60 });
    const notApple = await identityToken(await keys.current, { iss: "https://evil.example" });
    for (const identityToken of [forged, otherApp, expired, notApple, "not-a-jwt"]) {
      expect(await rejection(api.anonymous().auth.apple.mutate({ identityToken }))).toBe("UNAUTHORIZED");
    }
    expect(await api.db.identity.count({ where: { provider: "APPLE" } })).toBe(1);
  });

  it("fetches Apple's keys again for a key id it has not seen, after a short cooldown", async () => {
    const rotated = await keys.rotated;
    publishedKeys.push(rotated.jwk);
    const token = await identityToken(rotated, { sub: "001234.apple-user.0002" });
    // Right after the last fetch the unknown key id is refused without hammering Apple…
    expect(await rejection(api.anonymous().auth.apple.mutate({ identityToken: token }))).toBe("UNAUTHORIZED");
    // …and once the cooldown passed, the key set is fetched again and the new key accepted.
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    const session = await api.anonymous().auth.apple.mutate({ identityToken: token });
    expect(session.isNewUser).toBe(true);
    expect(apple.requests.length).toBeGreaterThanOrEqual(2);
  });
});

describe("auth.dev", () => {
  it("signs in by email, creating the user once", async () => {
    const first = await api.anonymous().auth.dev.mutate({ email: "Minjun@DayCarat.dev", nickname: "민준" });
    expect(first).toMatchObject({ isNewUser: true, user: { email: "minjun@daycarat.dev", nickname: "민준" } });
    const again = await api.anonymous().auth.dev.mutate({ email: "minjun@daycarat.dev" });
    expect(again).toMatchObject({ isNewUser: false, user: { id: first.user.id, nickname: "민준" } });
  });

  it("does not exist in production", async () => {
    const production = await startTestApi({
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://unused",
      JWT_SECRET: "a-production-secret-of-at-least-32-chars",
    });
    expect(await rejection(production.anonymous().auth.dev.mutate({ email: "minjun@daycarat.dev" }))).toBe("NOT_FOUND");
  });
});

describe("access tokens", () => {
  it("are required, and an expired, tampered or foreign one is UNAUTHORIZED", async () => {
    const { tokens } = await api.signIn("tokens@daycarat.dev");
    const valid = (await tokens.get())?.accessToken ?? "";
    const claims = JSON.parse(Buffer.from(valid.split(".")[1] ?? "", "base64url").toString()) as { sub: string };
    const expired = await expiredAccessToken(claims.sub);
    const [header, , signature] = valid.split(".");
    const elevated = Buffer.from(JSON.stringify({ ...claims, role: "ADMIN" })).toString("base64url");
    const tampered = [header, elevated, signature].join(".");
    const foreign = await new SignJWT({ role: "USER" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(claims.sub)
      .setIssuer("daycarat")
      .setAudience("daycarat-api")
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode("another-secret-another-secret-another"));

    const bare = (accessToken: string | null) =>
      createDayCaratClient({ url: api.url, tokens: memoryTokenStore(accessToken ? { accessToken, refreshToken: "" } : null) });
    expect((await bare(valid).me.get.query()).id).toBe(claims.sub);
    for (const token of [null, expired, tampered, foreign, "garbage"]) {
      expect(await rejection(bare(token).me.get.query())).toBe("UNAUTHORIZED");
    }
  });
});

describe("refresh tokens", () => {
  it("rotate on every use; reusing a rotated one revokes the whole sign-in", async () => {
    const anonymous = api.anonymous();
    const signedIn = await anonymous.auth.dev.mutate({ email: "rotation@daycarat.dev" });
    const second = await anonymous.auth.refresh.mutate({ refreshToken: signedIn.refreshToken });
    expect(second.refreshToken).not.toBe(signedIn.refreshToken);
    expect(second.user.id).toBe(signedIn.user.id);
    const third = await anonymous.auth.refresh.mutate({ refreshToken: second.refreshToken });

    // The first token is replayed (stolen?): refused, and the family's newest token dies too.
    expect(await rejection(anonymous.auth.refresh.mutate({ refreshToken: signedIn.refreshToken }))).toBe("UNAUTHORIZED");
    expect(await rejection(anonymous.auth.refresh.mutate({ refreshToken: third.refreshToken }))).toBe("UNAUTHORIZED");
    const sessions = await api.db.session.findMany({ where: { userId: signedIn.user.id } });
    expect(sessions).toHaveLength(3);
    expect(sessions.every((session) => session.revokedAt !== null)).toBe(true);
    // Only hashes are stored.
    expect(sessions.map((session) => session.tokenHash)).not.toContain(third.refreshToken);
  });

  it("used twice at once count as a reuse", async () => {
    const anonymous = api.anonymous();
    const signedIn = await anonymous.auth.dev.mutate({ email: "race@daycarat.dev" });
    const outcomes = await Promise.allSettled([
      anonymous.auth.refresh.mutate({ refreshToken: signedIn.refreshToken }),
      anonymous.auth.refresh.mutate({ refreshToken: signedIn.refreshToken }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
  });

  it("stop working after sign-out, which leaves other sign-ins alone", async () => {
    const anonymous = api.anonymous();
    const phone = await anonymous.auth.dev.mutate({ email: "signout@daycarat.dev" });
    const laptop = await anonymous.auth.dev.mutate({ email: "signout@daycarat.dev" });
    expect(await anonymous.auth.signOut.mutate({ refreshToken: phone.refreshToken })).toEqual({ signedOut: true });
    expect(await rejection(anonymous.auth.refresh.mutate({ refreshToken: phone.refreshToken }))).toBe("UNAUTHORIZED");
    await expect(anonymous.auth.refresh.mutate({ refreshToken: laptop.refreshToken })).resolves.toMatchObject({
      user: { id: laptop.user.id },
    });
  });

  it("are refused when expired", async () => {
    const anonymous = api.anonymous();
    const signedIn = await anonymous.auth.dev.mutate({ email: "expired@daycarat.dev" });
    await api.db.session.updateMany({ where: { userId: signedIn.user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await rejection(anonymous.auth.refresh.mutate({ refreshToken: signedIn.refreshToken }))).toBe("UNAUTHORIZED");
  });
});
