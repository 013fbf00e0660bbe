import { sumBy } from "es-toolkit/math/sumBy";
import { z } from "zod";
import { estimatedCostUsd, priceOf } from "@daycarat/domain";
import { calendarDate } from "../../schemas/common.ts";
import { adminProcedure } from "../../trpc.ts";

/** A year and a day: enough for a yearly review, small enough to answer at once. */
const MAX_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

export const aiUsageInput = z
  .object({
    /** The first day (UTC), inclusive. */
    from: calendarDate,
    /** The last day (UTC), inclusive. */
    to: calendarDate,
  })
  .refine(({ from, to }) => from <= to, { path: ["to"], message: "must not be before from" })
  .refine(({ from, to }) => (Date.parse(to) - Date.parse(from)) / DAY_MS < MAX_DAYS, {
    path: ["to"],
    message: `must be within ${MAX_DAYS} days of from`,
  });

const tokens = {
  analyses: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
};

const dayOfModel = z.object({
  date: calendarDate,
  model: z.string(),
  ...tokens,
  /** At AI_PRICES; null when no price is configured for the model. */
  estimatedCostUsd: z.number().nullable(),
});

export const aiUsageOutput = z.object({
  days: z.array(dayOfModel),
  /** The whole range; its cost leaves out the models without a price. */
  total: z.object({ ...tokens, estimatedCostUsd: z.number() }),
});

interface UsageRow {
  date: string;
  model: string;
  analyses: number;
  inputTokens: number;
  outputTokens: number;
}

/**
 * The model's tokens and their estimated cost per day (UTC, by when the analysis finished) and
 * per model, from what each answered analysis stored, at the prices configured now (AI_PRICES).
 */
export const aiUsage = adminProcedure
  .meta({
    openapi: {
      method: "GET",
      path: "/admin/ai-usage",
      summary: "AI tokens and estimated cost per day and model (admins)",
      tags: ["Admin"],
      protect: true,
    },
  })
  .input(aiUsageInput)
  .output(aiUsageOutput)
  .query(async ({ ctx, input }) => {
    const rows = await ctx.db.$queryRaw<UsageRow[]>`
      SELECT to_char(("finishedAt" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS date,
             model,
             count(*)::int AS analyses,
             sum("promptTokens")::float8 AS "inputTokens",
             sum("completionTokens")::float8 AS "outputTokens"
      FROM analyses
      WHERE "promptTokens" IS NOT NULL AND model IS NOT NULL
        AND "finishedAt" >= ${input.from}::date::timestamp AT TIME ZONE 'UTC'
        AND "finishedAt" < (${input.to}::date + 1)::timestamp AT TIME ZONE 'UTC'
      GROUP BY 1, 2
      ORDER BY 1, 2`;
    const prices = ctx.config.ai.pricesPerMillionTokens;
    const days = rows.map((row) => ({
      ...row,
      estimatedCostUsd: priceOf(prices, row.model)
        ? estimatedCostUsd(prices, row.model, { promptTokens: row.inputTokens, completionTokens: row.outputTokens })
        : null,
    }));
    return {
      days,
      total: {
        analyses: sumBy(days, (day) => day.analyses),
        inputTokens: sumBy(days, (day) => day.inputTokens),
        outputTokens: sumBy(days, (day) => day.outputTokens),
        estimatedCostUsd: sumBy(days, (day) => day.estimatedCostUsd ?? 0),
      },
    };
  });
