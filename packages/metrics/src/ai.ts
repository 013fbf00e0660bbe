import { Counter, type Registry } from "prom-client";
import { estimatedCostUsd, type AnalysisModel, type ModelCall, type ModelPrices } from "@daycarat/domain";

const CALL_OUTCOMES: readonly ModelCall["outcome"][] = ["answered", "invalid", "rate-limited", "unavailable", "rejected"];

/**
 * The AI counters; returns how to count a model's calls: `daycarat_ai_calls_total{outcome}` for
 * every call, and for an answer its tokens (`daycarat_ai_tokens_total{model,kind}`) and estimated
 * cost (`daycarat_ai_cost_usd_total{model}`, at the configured prices; a model without one costs 0).
 */
export function createAiMetrics(registry: Registry, prices: ModelPrices): (model: AnalysisModel) => AnalysisModel {
  const calls = new Counter({
    name: "daycarat_ai_calls_total",
    help: "Model calls by outcome (answered, invalid answer, rate-limited, unavailable, rejected).",
    labelNames: ["outcome"],
    registers: [registry],
  });
  const tokens = new Counter({
    name: "daycarat_ai_tokens_total",
    help: "Tokens of answered model calls, by the model that answered and kind (input, output).",
    labelNames: ["model", "kind"],
    registers: [registry],
  });
  const cost = new Counter({
    name: "daycarat_ai_cost_usd_total",
    help: "Estimated cost of answered model calls in USD, at the prices of AI_PRICES.",
    labelNames: ["model"],
    registers: [registry],
  });
  for (const outcome of CALL_OUTCOMES) calls.inc({ outcome }, 0);
  return (model) => ({
    async analyze(messages, signal) {
      const call = await model.analyze(messages, signal);
      calls.inc({ outcome: call.outcome });
      if (call.outcome === "answered") {
        tokens.inc({ model: call.model, kind: "input" }, call.promptTokens);
        tokens.inc({ model: call.model, kind: "output" }, call.completionTokens);
        cost.inc({ model: call.model }, estimatedCostUsd(prices, call.model, call));
      }
      return call;
    },
  });
}
