import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { exportPKCS8, generateKeyPair, jwtVerify, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createDayCaratClient, errorCode, fieldIssues, memoryTokenStore } from "@daycarat/client";
import {
  type AppleSigningKey,
  createAppleKey as appleKey,
  refusalCode,
  sendJson,
  signIdentityToken,
  startFakeAppleJwks,
  startFakeKakao,
  startLocalServer,
} from "@daycarat/testkit";
import { expiredAccessToken, signTestAccessToken, startTestApi } from "../test-server.ts";

// Kakao's user-info API, as the server calls it: GET /v2/user/me with the app's token.
const kakao = await startFakeKakao({
  "kakao-token-jiwoo": {
    id: 4051234567,
    kakao_account: { email: "jiwoo@kakao.com", profile: { nickname: "지우🌱", profile_image_url: "https://k.kakaocdn.net/p.jpg" } },
  },
  "kakao-token-no-email": { id: 4059999999 },
});

// Apple's key set: keys can be published during the test, as Apple rotates them.
const apple = await startFakeAppleJwks();
const publishedKeys = apple.publishedKeys;
const APPLE_CLIENT_ID = "app.daycarat.ios";
function identityToken(key: AppleSigningKey, claims: { sub?: string; aud?: string; exp?: number; iss?: string; nonce?: string } = {}) {
  return signIdentityToken(key, { aud: APPLE_CLIENT_ID, ...claims });
}

const api = await startTestApi({
  KAKAO_API_URL: kakao.url,
  APPLE_JWKS_URL: apple.jwksUrl,
  APPLE_CLIENT_IDS: `com.daycarat.web, ${APPLE_CLIENT_ID}`,
});

// Apple's token and revocation endpoints: each call must carry a client secret signed with the
// team's key, as Apple checks it.
const APPLE_TEAM_ID = "TEAM123456";
const APPLE_KEY_ID = "KEY7890ABC";
const teamKey = await generateKeyPair("ES256", { extractable: true });
const appleCalls: { path: string; form: URLSearchParams }[] = [];
async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}
const appleAccounts = await startLocalServer(async (request, response) => {
  const form = await readForm(request);
  const path = request.url ?? "";
  appleCalls.push({ path, form });
  const secret = await jwtVerify(form.get("client_secret") ?? "", teamKey.publicKey, {
    issuer: APPLE_TEAM_ID,
    audience: "https://appleid.apple.com",
    subject: form.get("client_id") ?? "",
    algorithms: ["ES256"],
    requiredClaims: ["exp", "iat"],
  }).catch(() => undefined);
  const owner = appleCodes.get(form.get("code") ?? "");
  if (secret?.protectedHeader.kid !== APPLE_KEY_ID) sendJson(response, 400, { error: "invalid_client" });
  else if (path === "/auth/revoke") response.writeHead(200).end();
  else if (path !== "/auth/token" || !owner) sendJson(response, 400, { error: "invalid_grant" });
  else
    sendJson(response, 200, {
      access_token: "a",
      token_type: "Bearer",
      expires_in: 3600,
      refresh_token: `apple-refresh-of-${owner.sub}`,
      id_token: owner.idToken,
    });
});
/** Authorization codes Apple would accept: code → the Apple user and the id token it returns. */
const appleCodes = new Map<string, { sub: string; idToken: string }>();
const revokingApi = await startTestApi({
  APPLE_JWKS_URL: apple.jwksUrl,
  APPLE_CLIENT_IDS: APPLE_CLIENT_ID,
  APPLE_API_URL: appleAccounts.url,
  APPLE_TEAM_ID,
  APPLE_KEY_ID,
  APPLE_PRIVATE_KEY: await exportPKCS8(teamKey.privateKey),
});

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

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
    expect(await refusalCode(api.anonymous().auth.kakao.mutate({ accessToken: "forged" }))).toBe("UNAUTHORIZED");
    expect(await refusalCode(api.anonymous().auth.kakao.mutate({ accessToken: "kakao-token-outage" }))).toBe("INTERNAL_SERVER_ERROR");
  });

  it("refuses, as BAD_REQUEST and without asking Kakao, a token no Authorization header can carry", async () => {
    const asked = kakao.requests.length;
    for (const accessToken of ["카카오토큰", "kakao\u0000token", "token with spaces", "\u0100", "é"]) {
      const error = await api
        .anonymous()
        .auth.kakao.mutate({ accessToken })
        .catch((caught: unknown) => caught);
      expect(errorCode(error), JSON.stringify(accessToken)).toBe("BAD_REQUEST");
      expect(fieldIssues(error).map((issue) => issue.path)).toEqual(["accessToken"]);
    }
    const rest = await fetch(`${api.url}/api/v1/auth/kakao`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ accessToken: "a\u0000b" }),
    });
    expect(rest.status).toBe(400);
    expect(kakao.requests.length).toBe(asked);
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
      expect(await refusalCode(api.anonymous().auth.apple.mutate({ identityToken }))).toBe("UNAUTHORIZED");
    }
    expect(await api.db.identity.count({ where: { provider: "APPLE" } })).toBe(1);
  });

  it("checks the nonce when the client sends it: the token must carry its SHA-256", async () => {
    const key = await keys.current;
    const nonce = "raw-nonce-3f9a1c";
    const withNonce = await identityToken(key, { sub: "001234.apple-user.nonce", nonce: sha256(nonce) });
    for (const wrong of ["another-nonce", sha256(nonce)]) {
      expect(await refusalCode(api.anonymous().auth.apple.mutate({ identityToken: withNonce, nonce: wrong }))).toBe("UNAUTHORIZED");
    }
    const noNonceClaim = await identityToken(key, { sub: "001234.apple-user.nonce" });
    expect(await refusalCode(api.anonymous().auth.apple.mutate({ identityToken: noNonceClaim, nonce }))).toBe("UNAUTHORIZED");
    expect(await api.db.identity.count({ where: { providerUserId: "001234.apple-user.nonce" } })).toBe(0);

    const session = await api.anonymous().auth.apple.mutate({ identityToken: withNonce, nonce });
    expect(session.isNewUser).toBe(true);
    // A client that sends no nonce is not held to one.
    await expect(api.anonymous().auth.apple.mutate({ identityToken: withNonce })).resolves.toMatchObject({ user: { id: session.user.id } });
  });

  it("without Apple revocation configured, ignores the authorization code", async () => {
    const token = await identityToken(await keys.current, { sub: "001234.apple-user.unconfigured" });
    await api.anonymous().auth.apple.mutate({ identityToken: token, authorizationCode: "c.0.unused" });
    expect(appleCalls.filter(({ form }) => form.get("code") === "c.0.unused")).toEqual([]);
  });

  it("keeps Apple's refresh token for the authorization code, and revokes it at Apple when the account is deleted", async () => {
    const key = await keys.current;
    const sub = "001234.apple-user.leaving";
    appleCodes.set("c.0.leaving", { sub, idToken: await identityToken(key, { sub }) });
    const client = revokingApi.anonymous();
    const session = await client.auth.apple.mutate({ identityToken: await identityToken(key, { sub }), authorizationCode: "c.0.leaving" });
    const exchange = appleCalls.find(({ form }) => form.get("code") === "c.0.leaving");
    expect(exchange?.form.get("grant_type")).toBe("authorization_code");
    expect(exchange?.form.get("client_id")).toBe(APPLE_CLIENT_ID);
    expect(await revokingApi.db.identity.findFirst({ where: { userId: session.user.id } })).toMatchObject({
      providerRefreshToken: `apple-refresh-of-${sub}`,
      providerClientId: APPLE_CLIENT_ID,
    });

    await client.me.delete.mutate();
    const revocation = appleCalls.find(({ path }) => path === "/auth/revoke");
    expect(Object.fromEntries(revocation?.form ?? [])).toMatchObject({
      client_id: APPLE_CLIENT_ID,
      token: `apple-refresh-of-${sub}`,
      token_type_hint: "refresh_token",
    });
    // The stand-in answered 200 only to a client secret signed with the team's key.
    expect(revokingApi.logs.text()).not.toContain("could not revoke");
  });

  it("signs in without keeping a token when Apple refuses the code or it is another user's", async () => {
    const key = await keys.current;
    const sub = "001234.apple-user.code-mixup";
    appleCodes.set("c.0.someone-else", {
      sub: "001234.apple-user.other",
      idToken: await identityToken(key, { sub: "001234.apple-user.other" }),
    });
    for (const authorizationCode of ["c.0.unknown", "c.0.someone-else"]) {
      const session = await revokingApi
        .anonymous()
        .auth.apple.mutate({ identityToken: await identityToken(key, { sub }), authorizationCode });
      expect(await revokingApi.db.identity.findFirst({ where: { userId: session.user.id } })).toMatchObject({ providerRefreshToken: null });
    }
  });

  it("fetches Apple's keys again for a key id it has not seen, after a short cooldown", async () => {
    const rotated = await keys.rotated;
    publishedKeys.push(rotated.jwk);
    const token = await identityToken(rotated, { sub: "001234.apple-user.0002" });
    // Right after the last fetch the unknown key id is refused without hammering Apple…
    expect(await refusalCode(api.anonymous().auth.apple.mutate({ identityToken: token }))).toBe("UNAUTHORIZED");
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
    expect(await refusalCode(production.anonymous().auth.dev.mutate({ email: "minjun@daycarat.dev" }))).toBe("NOT_FOUND");
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

    expect((await bare(valid).me.get.query()).id).toBe(claims.sub);
    for (const token of [null, expired, tampered, foreign, "garbage"]) {
      expect(await refusalCode(bare(token).me.get.query())).toBe("UNAUTHORIZED");
    }
  });

  it("must say when they were issued and when they expire, live at most 15 minutes, and not come from the future", async () => {
    const { userId } = await api.signIn("claims@daycarat.dev");
    const now = Math.floor(Date.now() / 1000);
    const wellFormed = await signTestAccessToken({ sub: userId });
    const withinSkew = await signTestAccessToken({ sub: userId, iat: now + 20 });
    expect((await bare(wellFormed).me.get.query()).id).toBe(userId);
    expect((await bare(withinSkew).me.get.query()).id).toBe(userId);

    const refused = {
      "no exp": await signTestAccessToken({ sub: userId, exp: null }),
      "no iat": await signTestAccessToken({ sub: userId, iat: null }),
      "issued in the future": await signTestAccessToken({ sub: userId, iat: now + 10 * 60, exp: now + 20 * 60 }),
      "a long exp, issued 16 minutes ago": await signTestAccessToken({ sub: userId, iat: now - 16 * 60, exp: now + 365 * 24 * 3600 }),
      "no session id": await new SignJWT({ role: "USER" })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(userId)
        .setIssuer("daycarat")
        .setAudience("daycarat-api")
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(new TextEncoder().encode("daycarat-development-only-secret-do-not-use-in-production")),
    };
    for (const [what, token] of Object.entries(refused)) {
      expect(await refusalCode(bare(token).me.get.query()), what).toBe("UNAUTHORIZED");
    }
  });
});

/** A client holding just this access token: a refusal cannot be recovered from by refreshing. */
function bare(accessToken: string | null) {
  return createDayCaratClient({ url: api.url, tokens: memoryTokenStore(accessToken ? { accessToken, refreshToken: "" } : null) });
}

/** Makes a rotated refresh token look rotated that long ago. */
async function rotatedAgo(refreshToken: string, seconds: number) {
  const tokenHash = createHash("sha256").update(refreshToken).digest("hex");
  await api.db.session.update({ where: { tokenHash }, data: { rotatedAt: new Date(Date.now() - seconds * 1000) } });
}

describe("refresh tokens", () => {
  it("rotate on every use; reusing a rotated one after the reuse interval revokes the whole sign-in, access tokens too", async () => {
    const anonymous = api.anonymous();
    const signedIn = await anonymous.auth.dev.mutate({ email: "rotation@daycarat.dev" });
    const second = await anonymous.auth.refresh.mutate({ refreshToken: signedIn.refreshToken });
    expect(second.refreshToken).not.toBe(signedIn.refreshToken);
    expect(second.user.id).toBe(signedIn.user.id);
    const third = await anonymous.auth.refresh.mutate({ refreshToken: second.refreshToken });
    expect((await bare(third.accessToken).me.get.query()).id).toBe(signedIn.user.id);

    // The first token is replayed 31 s after its rotation (stolen?): refused, and the family dies.
    await rotatedAgo(signedIn.refreshToken, 31);
    expect(await refusalCode(anonymous.auth.refresh.mutate({ refreshToken: signedIn.refreshToken }))).toBe("UNAUTHORIZED");
    expect(await refusalCode(anonymous.auth.refresh.mutate({ refreshToken: third.refreshToken }))).toBe("UNAUTHORIZED");
    expect(await refusalCode(bare(third.accessToken).me.get.query())).toBe("UNAUTHORIZED");
    const sessions = await api.db.session.findMany({ where: { userId: signedIn.user.id } });
    expect(sessions).toHaveLength(3);
    expect(sessions.every((session) => session.revokedAt !== null)).toBe(true);
    // Only hashes are stored.
    expect(sessions.map((session) => session.tokenHash)).not.toContain(third.refreshToken);
  });

  it("used twice at once (two tabs, a retry) both get the same successor, and the sign-in lives on", async () => {
    const anonymous = api.anonymous();
    const signedIn = await anonymous.auth.dev.mutate({ email: "race@daycarat.dev" });
    const [one, other] = await Promise.all([
      anonymous.auth.refresh.mutate({ refreshToken: signedIn.refreshToken }),
      anonymous.auth.refresh.mutate({ refreshToken: signedIn.refreshToken }),
    ]);
    expect(one.refreshToken).toBe(other.refreshToken);
    for (const { accessToken } of [one, other]) expect((await bare(accessToken).me.get.query()).id).toBe(signedIn.user.id);
    await expect(anonymous.auth.refresh.mutate({ refreshToken: one.refreshToken })).resolves.toMatchObject({
      user: { id: signedIn.user.id },
    });
    const sessions = await api.db.session.findMany({ where: { userId: signedIn.user.id } });
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((session) => session.revokedAt !== null)).toEqual([]);
  });

  it("presented again within the reuse interval get the same successor, even after it was used", async () => {
    const anonymous = api.anonymous();
    const signedIn = await anonymous.auth.dev.mutate({ email: "retry@daycarat.dev" });
    const second = await anonymous.auth.refresh.mutate({ refreshToken: signedIn.refreshToken });
    await anonymous.auth.refresh.mutate({ refreshToken: second.refreshToken });
    await rotatedAgo(signedIn.refreshToken, 25);
    const retried = await anonymous.auth.refresh.mutate({ refreshToken: signedIn.refreshToken });
    expect(retried.refreshToken).toBe(second.refreshToken);
    expect(await api.db.session.count({ where: { userId: signedIn.user.id, revokedAt: { not: null } } })).toBe(0);
  });

  it("stop working after sign-out, with the sign-in's access tokens, which leaves other sign-ins alone", async () => {
    const anonymous = api.anonymous();
    const phone = await anonymous.auth.dev.mutate({ email: "signout@daycarat.dev" });
    const laptop = await anonymous.auth.dev.mutate({ email: "signout@daycarat.dev" });
    expect(await anonymous.auth.signOut.mutate({ refreshToken: phone.refreshToken })).toEqual({ signedOut: true });
    expect(await refusalCode(anonymous.auth.refresh.mutate({ refreshToken: phone.refreshToken }))).toBe("UNAUTHORIZED");
    expect(await refusalCode(bare(phone.accessToken).me.get.query())).toBe("UNAUTHORIZED");
    expect((await bare(laptop.accessToken).me.get.query()).id).toBe(laptop.user.id);
    await expect(anonymous.auth.refresh.mutate({ refreshToken: laptop.refreshToken })).resolves.toMatchObject({
      user: { id: laptop.user.id },
    });
  });

  it("end the sign-in's access tokens even when they were used (and their claims remembered) before the sign-out", async () => {
    const anonymous = api.anonymous();
    const signedIn = await anonymous.auth.dev.mutate({ email: "signout-used@daycarat.dev" });
    expect((await bare(signedIn.accessToken).me.get.query()).id).toBe(signedIn.user.id);
    await anonymous.auth.signOut.mutate({ refreshToken: signedIn.refreshToken });
    expect(await refusalCode(bare(signedIn.accessToken).me.get.query())).toBe("UNAUTHORIZED");
  });

  it("are refused when idle too long", async () => {
    const anonymous = api.anonymous();
    const signedIn = await anonymous.auth.dev.mutate({ email: "expired@daycarat.dev" });
    await api.db.session.updateMany({ where: { userId: signedIn.user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await refusalCode(anonymous.auth.refresh.mutate({ refreshToken: signedIn.refreshToken }))).toBe("UNAUTHORIZED");
  });

  it("end 90 days after sign-in however often they are refreshed", async () => {
    const anonymous = api.anonymous();
    const signedIn = await anonymous.auth.dev.mutate({ email: "absolute@daycarat.dev" });
    const first = await api.db.session.findFirstOrThrow({ where: { userId: signedIn.user.id } });
    const day = 24 * 3600 * 1000;
    const daysAfterSignIn = (date: Date) => Math.round((date.getTime() - first.createdAt.getTime()) / day);
    expect([daysAfterSignIn(first.expiresAt), daysAfterSignIn(first.familyExpiresAt)]).toEqual([30, 90]);

    // Near the end of the sign-in, a successor lives only until that end, not 30 more days.
    const end = new Date(Date.now() + day);
    await api.db.session.updateMany({ where: { userId: signedIn.user.id }, data: { familyExpiresAt: end } });
    const refreshed = await anonymous.auth.refresh.mutate({ refreshToken: signedIn.refreshToken });
    const successor = await api.db.session.findFirstOrThrow({ where: { userId: signedIn.user.id, rotatedAt: null } });
    expect(successor).toMatchObject({ expiresAt: end, familyExpiresAt: end });

    await api.db.session.updateMany({ where: { userId: signedIn.user.id }, data: { familyExpiresAt: new Date(Date.now() - 1000) } });
    expect(await refusalCode(anonymous.auth.refresh.mutate({ refreshToken: refreshed.refreshToken }))).toBe("UNAUTHORIZED");
  });
});
