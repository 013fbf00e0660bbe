import { z } from "zod";
import { Role, type Prisma } from "@daycarat/db";
import { id, isoDateTime } from "./common.ts";

export const collectorLevels = ["ROOKIE", "BEGINNER", "PRO"] as const;

/** ROOKIE up to 10 gems, BEGINNER up to 20, PRO beyond. */
export function collectorLevel(gemCount: number): (typeof collectorLevels)[number] {
  if (gemCount <= 10) return "ROOKIE";
  if (gemCount <= 20) return "BEGINNER";
  return "PRO";
}

export const userProfileSelect = {
  id: true,
  email: true,
  nickname: true,
  profileImageUrl: true,
  jobTitle: true,
  strengths: true,
  pushAllowed: true,
  role: true,
  timeZone: true,
  onboardedAt: true,
  createdAt: true,
  _count: { select: { gems: { where: { submittedAt: { not: null } } } } },
} satisfies Prisma.UserSelect;

export type UserProfileRow = Prisma.UserGetPayload<{ select: typeof userProfileSelect }>;

export const userProfile = z.object({
  id,
  email: z.string().nullable(),
  nickname: z.string(),
  profileImageUrl: z.string().nullable(),
  jobTitle: z.string().nullable(),
  strengths: z.array(z.string()),
  pushAllowed: z.boolean(),
  role: z.enum(Role),
  timeZone: z.string(),
  onboarded: z.boolean(),
  gemCount: z.number().int(),
  collectorLevel: z.enum(collectorLevels),
  createdAt: isoDateTime,
});

export type UserProfile = z.infer<typeof userProfile>;

export function toUserProfile(row: UserProfileRow): UserProfile {
  const { _count, onboardedAt, createdAt, ...fields } = row;
  return {
    ...fields,
    onboarded: onboardedAt !== null,
    gemCount: _count.gems,
    collectorLevel: collectorLevel(_count.gems),
    createdAt: createdAt.toISOString(),
  };
}

export const sessionTokens = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  user: userProfile,
  isNewUser: z.boolean(),
});
