import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { listenLocalServer, sendJson, type LocalServer } from "./local-server.ts";

// A local stand-in for Apple's sign-in key set (APPLE_JWKS_URL), and identity tokens signed as
// Apple signs them.

export interface AppleSigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** The public half, as the key set publishes it. */
  jwk: JWK;
}

export interface FakeAppleJwks extends LocalServer {
  jwksUrl: string;
  /** The keys published now: push one to publish it, as Apple rotates them. */
  publishedKeys: JWK[];
}

export async function createAppleKey(kid: string): Promise<AppleSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}

export interface IdentityTokenClaims {
  /** The app's client id. */
  aud: string;
  sub?: string;
  exp?: number;
  iss?: string;
  email?: string;
  /** The nonce the app sent with its sign-in request, when it sent one. */
  nonce?: string;
}

/** An identity token as Apple issues it (valid for 10 minutes unless `exp` says otherwise). */
export function signIdentityToken(key: AppleSigningKey, claims: IdentityTokenClaims): Promise<string> {
  const nonce = claims.nonce === undefined ? {} : { nonce: claims.nonce };
  return new SignJWT({ email: claims.email ?? "seoyeon@privaterelay.appleid.com", ...nonce })
    .setProtectedHeader({ alg: "RS256", kid: key.kid })
    .setIssuer(claims.iss ?? "https://appleid.apple.com")
    .setAudience(claims.aud)
    .setSubject(claims.sub ?? "001234.apple-user.0001")
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 600)
    .sign(key.privateKey);
}

export async function listenFakeAppleJwks(): Promise<FakeAppleJwks> {
  const publishedKeys: JWK[] = [];
  const server = await listenLocalServer((_request, response) => {
    sendJson(response, 200, { keys: publishedKeys });
  });
  return { ...server, jwksUrl: `${server.url}/auth/keys`, publishedKeys };
}
