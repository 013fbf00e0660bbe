import { z } from "zod";
import { findEpisodeGem, newestAnalysisFirst, type SoaraAnswers, soaraFields } from "@daycarat/domain";
import { id } from "../../schemas/common.ts";
import { soaraQuestions } from "../../schemas/gem.ts";
import { gemNotFound } from "../../errors.ts";
import { authedProcedure } from "../../trpc.ts";

export const clipboardInput = z.object({ episodeId: id });

const SENTENCES_HEADING = "자기소개서 추천 문장";

/** Each question with its answer below it, then the AI's sentences, one per line; blocks apart by a blank line. */
function clipboardText(answers: SoaraAnswers, sentences: string[]): string {
  const blocks = soaraFields.map((field) => `${soaraQuestions[field]}\n${answers[field] ?? ""}`);
  if (sentences.length > 0) blocks.push([SENTENCES_HEADING, ...sentences].join("\n"));
  return blocks.join("\n\n");
}

/** The gem as plain text to paste into a cover letter draft. */
export const clipboard = authedProcedure
  .meta({
    openapi: {
      method: "GET",
      path: "/episodes/{episodeId}/gem/clipboard",
      summary: "A gem as text for a cover letter",
      tags: ["Gems"],
      protect: true,
    },
  })
  .input(clipboardInput)
  .output(z.object({ text: z.string() }))
  .query(async ({ ctx, input }) => {
    const gem = await findEpisodeGem(ctx.db, ctx.user.userId, input.episodeId, {
      situation: true,
      objective: true,
      action: true,
      result: true,
      aftermath: true,
      analyses: { where: { status: "SUCCEEDED" }, orderBy: newestAnalysisFirst, take: 1, select: { sentences: true } },
    });
    if (!gem) throw gemNotFound();
    const { analyses, ...answers } = gem;
    return { text: clipboardText(answers, analyses[0]?.sentences ?? []) };
  });
