import type { AuthProvider, DatabaseClient } from "@daycarat/db";
import type { AppConfig } from "@daycarat/config";
import { prismaErrorCode } from "../errors.ts";
import { signAccessToken } from "./access-token.ts";
import { startSession } from "./sessions.ts";
import { toUserProfile, userProfileSelect, type UserProfile, type UserProfileRow } from "../schemas/user.ts";

/** Who a provider says the user is. */
export interface ProviderIdentity {
  provider: AuthProvider;
  providerUserId: string;
  email?: string | undefined;
  nickname?: string | undefined;
  profileImageUrl?: string | undefined;
  /** A provider token kept to revoke at the provider when the account is deleted (Apple). */
  revocableToken?: { refreshToken: string; clientId: string } | undefined;
}

export interface SignInResult {
  accessToken: string;
  refreshToken: string;
  user: UserProfile;
  isNewUser: boolean;
}

const NICKNAME_MAX = 30;

function defaultNickname(identity: ProviderIdentity): string {
  const candidates = [identity.nickname?.trim(), identity.email?.split("@")[0]];
  const name = candidates.find((candidate) => candidate !== undefined && candidate !== "") ?? "보석 수집가";
  return Array.from(name).slice(0, NICKNAME_MAX).join("");
}

/** Finds the user behind a provider identity, creating them on first sign-in, and opens a session. */
export async function signIn(db: DatabaseClient, config: AppConfig, identity: ProviderIdentity): Promise<SignInResult> {
  const existing = await findIdentityUser(db, identity);
  if (existing) {
    if (identity.revocableToken) await keepRevocableToken(db, identity);
    return openSession(db, config, existing, false);
  }
  try {
    const user = await db.user.create({
      data: {
        email: identity.email,
        nickname: defaultNickname(identity),
        profileImageUrl: identity.profileImageUrl,
        identities: {
          create: {
            provider: identity.provider,
            providerUserId: identity.providerUserId,
            email: identity.email,
            providerRefreshToken: identity.revocableToken?.refreshToken,
            providerClientId: identity.revocableToken?.clientId,
          },
        },
        notificationPreferences: { create: {} },
      },
      select: userProfileSelect,
    });
    return await openSession(db, config, user, true);
  } catch (error) {
    // The same first sign-in arrived twice at once and the other request created the user.
    const user = prismaErrorCode(error) === "P2002" ? await findIdentityUser(db, identity) : undefined;
    if (!user) throw error;
    return openSession(db, config, user, false);
  }
}

/** The newest provider token replaces the one kept from an earlier sign-in. */
async function keepRevocableToken(db: DatabaseClient, identity: ProviderIdentity): Promise<void> {
  await db.identity.updateMany({
    where: { provider: identity.provider, providerUserId: identity.providerUserId },
    data: { providerRefreshToken: identity.revocableToken?.refreshToken, providerClientId: identity.revocableToken?.clientId },
  });
}

async function findIdentityUser(db: DatabaseClient, identity: ProviderIdentity): Promise<UserProfileRow | undefined> {
  const found = await db.identity.findUnique({
    where: { provider_providerUserId: { provider: identity.provider, providerUserId: identity.providerUserId } },
    select: { user: { select: userProfileSelect } },
  });
  return found?.user;
}

async function openSession(db: DatabaseClient, config: AppConfig, user: UserProfileRow, isNewUser: boolean): Promise<SignInResult> {
  const { refreshToken, familyId } = await startSession(db, config.auth, user.id);
  const accessToken = await signAccessToken(config.auth.jwtSecret, { userId: user.id, sessionId: familyId, role: user.role });
  return { accessToken, refreshToken, user: toUserProfile(user), isNewUser };
}
