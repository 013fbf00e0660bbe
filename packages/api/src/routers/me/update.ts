import { z } from "zod";
import { requestNoticeTopicSync } from "@daycarat/domain";
import { toUserProfile, userProfile, userProfileSelect } from "../../schemas/user.ts";
import { userText } from "../../schemas/common.ts";
import { authedProcedure } from "../../trpc.ts";
import { accountGone } from "../../errors.ts";

const TIME_ZONES = new Set([...Intl.supportedValuesOf("timeZone"), "UTC"]);
const TIME_ZONE_MESSAGE = "must be an IANA time zone such as Asia/Seoul";

export const updateMeInput = z
  .object({
    nickname: userText(30),
    profileImageUrl: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .nullable(),
    jobTitle: userText(50).nullable(),
    strengths: z
      .array(userText(20))
      .max(10)
      .refine((tags) => new Set(tags).size === tags.length, "must not repeat a tag"),
    pushAllowed: z.boolean(),
    timeZone: z
      .string()
      // The longest zone name has 32 characters; the bound shows in the OpenAPI document.
      .max(64, TIME_ZONE_MESSAGE)
      .refine((zone) => TIME_ZONES.has(zone), TIME_ZONE_MESSAGE),
    /** Set once onboarding (job title and strengths) is done. */
    onboarded: z.literal(true),
  })
  .partial()
  .refine((input) => Object.keys(input).length > 0, "name at least one field to change");

/** Changes profile and onboarding fields; only the fields given change. Turning pushes on or off moves the user's devices on or off the notices topic. */
export const update = authedProcedure
  .meta({
    openapi: {
      method: "PATCH",
      path: "/me",
      summary: "Change your profile",
      tags: ["Me"],
      protect: true,
      example: { request: { jobTitle: "백엔드 개발자", strengths: ["끈기", "소통"], onboarded: true } },
    },
  })
  .input(updateMeInput)
  .output(userProfile)
  .mutation(async ({ ctx, input }) => {
    const { onboarded, ...fields } = input;
    const updated = await ctx.db.$transaction(async (tx) => {
      const rows = await tx.user.updateManyAndReturn({
        where: { id: ctx.user.userId },
        data: { ...fields, ...(onboarded ? { onboardedAt: new Date() } : {}) },
        select: { id: true },
      });
      if (rows.length > 0 && fields.pushAllowed !== undefined) await requestNoticeTopicSync(ctx.jobs, tx);
      return rows;
    });
    if (updated.length === 0) throw accountGone();
    return toUserProfile(await ctx.db.user.findUniqueOrThrow({ where: { id: ctx.user.userId }, select: userProfileSelect }));
  });
