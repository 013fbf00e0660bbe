/** USD per million input and output tokens, by model name (AI_PRICES). */
export type ModelPrices = Record<string, { input: number; output: number }>;

/**
 * The price of a model: its own, or else that of the longest configured name it starts with,
 * as OpenAI answers with dated names ("gpt-4o-mini-2024-07-18" for "gpt-4o-mini").
 */
export function priceOf(prices: ModelPrices, model: string): { input: number; output: number } | undefined {
  const exact = prices[model];
  if (exact) return exact;
  const prefix = Object.keys(prices)
    .filter((name) => model.startsWith(name))
    .sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? undefined : prices[prefix];
}

/** What the tokens of one model cost at the configured prices; 0 for a model without a price. */
export function estimatedCostUsd(prices: ModelPrices, model: string, tokens: { promptTokens: number; completionTokens: number }): number {
  const price = priceOf(prices, model);
  if (!price) return 0;
  return (tokens.promptTokens * price.input + tokens.completionTokens * price.output) / 1_000_000;
}
