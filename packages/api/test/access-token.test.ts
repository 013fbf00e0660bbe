import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { verifyAccessToken } from "@daycarat/api";

const SECRET = "access-token-test-secret-access-token-test-secret";
const TTL = 15 * 60;
const TOLERANCE = 30;

function sign(claims: { iat: number; exp: number }, secret = SECRET): Promise<string> {
  return new SignJWT({ role: "USER", sid: randomUUID() })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(randomUUID())
    .setIssuer("daycarat")
    .setAudience("daycarat-api")
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .sign(new TextEncoder().encode(secret));
}

/** Sets the clock to that second since the epoch (Date only: jose and the cache both read it). */
function atSecond(second: number): void {
  vi.setSystemTime(second * 1000);
}

const outcome = (token: string, secret = SECRET) =>
  verifyAccessToken(secret, token).then(
    () => "valid",
    (error: unknown) => (error as Error).message,
  );

afterEach(() => {
  vi.useRealTimers();
});

describe("verifyAccessToken, whose claims are remembered once verified", () => {
  it("refuses a remembered token from the second its exp (plus the clock tolerance) has passed", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const iat = 2_000_000_000;
    const token = await sign({ iat, exp: iat + 60 });
    atSecond(iat);
    expect(await outcome(token)).toBe("valid");
    atSecond(iat + 60 + TOLERANCE - 1);
    expect(await outcome(token)).toBe("valid");
    atSecond(iat + 60 + TOLERANCE);
    expect(await outcome(token)).toBe("Access token expired");
  });

  it("refuses a remembered token whose exp is far off once it is older than 15 minutes (plus the tolerance)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const iat = 2_000_000_000;
    const token = await sign({ iat, exp: iat + 365 * 24 * 3600 });
    atSecond(iat);
    expect(await outcome(token)).toBe("valid");
    atSecond(iat + TTL + TOLERANCE);
    expect(await outcome(token)).toBe("valid");
    atSecond(iat + TTL + TOLERANCE + 1);
    expect(await outcome(token)).toBe("Access token expired");
  });

  it("answers a remembered token with the same claims, and never for another secret or a changed signature", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await sign({ iat: now, exp: now + TTL });
    const first = await verifyAccessToken(SECRET, token);
    expect(await verifyAccessToken(SECRET, token)).toEqual(first);
    expect(await outcome(token, "another-secret-another-secret-another-secret")).toBe("Access token invalid");
    const [header, payload, signature = ""] = token.split(".");
    const forged = [header, payload, `${signature.slice(0, -2)}${signature.endsWith("AA") ? "BB" : "AA"}`].join(".");
    expect(await outcome(forged)).toBe("Access token invalid");
  });
});
