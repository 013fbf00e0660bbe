import { z } from "zod";
import { findEpisodeGem, soaraFields } from "@daycarat/domain";
import { id, userText } from "../../schemas/common.ts";
import { gem, gemSelect, toGem } from "../../schemas/gem.ts";
import { authedProcedure } from "../../trpc.ts";

const ANSWER_MAX = 5_000;

/** An answer left out stays as it is; null clears it. */
const answer = userText(ANSWER_MAX).nullable().optional();

export const saveDraftInput = z
  .object({ episodeId: id, situation: answer, objective: answer, action: answer, result: answer, aftermath: answer })
  .refine((input) => soaraFields.some((field) => input[field] !== undefined), "give at least one answer");

type Answers = Omit<z.infer<typeof saveDraftInput>, "episodeId">;

/** A save that changes nothing keeps the version, so that an analysis in flight stays current. */
function changesAnything(current: Record<keyof Answers, string | null>, answers: Answers): boolean {
  return soaraFields.some((field) => answers[field] !== undefined && answers[field] !== current[field]);
}

/**
 * Saves some of the gem's answers, creating the gem on the first save. Every change moves
 * the version on, so an AI answer still on its way for the old answers is known to be stale.
 */
export const saveDraft = authedProcedure
  .meta({
    openapi: {
      method: "PATCH",
      path: "/episodes/{episodeId}/gem",
      summary: "Save some of a gem's answers",
      tags: ["Gems"],
      protect: true,
      example: { request: { situation: "팀원 둘이 중간에 빠졌다.", objective: "마감까지 데모를 완성한다." } },
    },
  })
  .input(saveDraftInput)
  .output(gem)
  .mutation(async ({ ctx, input }) => {
    const { episodeId, ...answers } = input;
    const current = await findEpisodeGem(ctx.db, ctx.user.userId, episodeId, gemSelect);
    if (current && !changesAnything(current, answers)) return toGem(current);
    const saved = await ctx.db.gem.upsert({
      where: { episodeId },
      create: { episodeId, userId: ctx.user.userId, ...answers },
      update: { ...answers, version: { increment: 1 } },
      select: gemSelect,
    });
    return toGem(saved);
  });
