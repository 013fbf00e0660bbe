import { toUserProfile, userProfile, userProfileSelect } from "../../schemas/user.ts";
import { authedProcedure } from "../../trpc.ts";
import { accountGone } from "../../errors.ts";

/** The caller's profile, with the collector level their gems earned. */
export const get = authedProcedure
  .meta({
    openapi: {
      method: "GET",
      path: "/me",
      summary: "Your profile",
      tags: ["Me"],
      protect: true,
      example: {
        response: {
          id: "0193f1c2-7a4b-7c3d-9e8f-0a1b2c3d4e5f",
          email: "jiwoo@daycarat.dev",
          nickname: "지우",
          profileImageUrl: null,
          jobTitle: "백엔드 개발자",
          strengths: ["끈기", "소통"],
          pushAllowed: true,
          role: "USER",
          timeZone: "Asia/Seoul",
          onboarded: true,
          gemCount: 4,
          collectorLevel: "ROOKIE",
          createdAt: "2026-03-02T09:15:00.000Z",
        },
      },
    },
  })
  .output(userProfile)
  .query(async ({ ctx }) => {
    const user = await ctx.db.user.findUnique({ where: { id: ctx.user.userId }, select: userProfileSelect });
    if (!user) throw accountGone();
    return toUserProfile(user);
  });
