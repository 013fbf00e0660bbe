import { describe, expect, it } from "vitest";
import { errorCode } from "@daycarat/client";
import { startTestApi } from "../test-server.ts";

// admin.aiUsage over the real server: the stored per-analysis usage added up per day (UTC)
// and model, priced at AI_PRICES ("gpt-4o" also prices the dated "gpt-4o-2024-08-06").

const api = await startTestApi({
  AI_PRICES: JSON.stringify({ "gpt-4o": { input: 2.5, output: 10 }, "gpt-4o-mini": { input: 0.15, output: 0.6 } }),
});
const { userId } = await api.signIn("ai-usage-user@daycarat.dev");

async function answeredAnalysis(model: string | null, finishedAt: string, promptTokens: number | null, completionTokens: number | null) {
  await api.db.analysis.create({
    data: {
      userId,
      gemVersion: 1,
      status: promptTokens === null ? "FAILED" : "SUCCEEDED",
      model,
      promptTokens,
      completionTokens,
      finishedAt: new Date(finishedAt),
    },
  });
}

await answeredAnalysis("gpt-4o-mini", "2026-03-01T00:00:00Z", 1_000_000, 100_000);
await answeredAnalysis("gpt-4o-mini", "2026-03-01T23:59:59Z", 1_000_000, 100_000);
await answeredAnalysis("gpt-4o-2024-08-06", "2026-03-01T12:00:00Z", 200_000, 50_000);
await answeredAnalysis("llama-3", "2026-03-02T09:00:00Z", 10, 20);
// Outside the range, and a failed analysis with no usage: neither counts.
await answeredAnalysis("gpt-4o-mini", "2026-03-03T00:00:00Z", 5, 5);
await answeredAnalysis(null, "2026-03-01T10:00:00Z", null, null);

describe("admin.aiUsage", () => {
  it("adds up tokens and estimated cost per day and model over the range", async () => {
    const admin = await api.signInAdmin("ai-usage-admin@daycarat.dev");
    const usage = await admin.client.admin.aiUsage.query({ from: "2026-03-01", to: "2026-03-02" });
    // Rounded to a billionth of a dollar, away from floating-point noise.
    const rounded = (usd: number | null) => (usd === null ? null : Math.round(usd * 1e9) / 1e9);
    expect(usage.days.map((day) => ({ ...day, estimatedCostUsd: rounded(day.estimatedCostUsd) }))).toEqual([
      // 0.2M × $2.5 + 0.05M × $10
      { date: "2026-03-01", model: "gpt-4o-2024-08-06", analyses: 1, inputTokens: 200_000, outputTokens: 50_000, estimatedCostUsd: 1 },
      // 2M × $0.15 + 0.2M × $0.6
      {
        date: "2026-03-01",
        model: "gpt-4o-mini",
        analyses: 2,
        inputTokens: 2_000_000,
        outputTokens: 200_000,
        estimatedCostUsd: 0.42,
      },
      { date: "2026-03-02", model: "llama-3", analyses: 1, inputTokens: 10, outputTokens: 20, estimatedCostUsd: null },
    ]);
    expect({ ...usage.total, estimatedCostUsd: rounded(usage.total.estimatedCostUsd) }).toEqual({
      analyses: 4,
      inputTokens: 2_200_010,
      outputTokens: 250_020,
      estimatedCostUsd: 1.42,
    });

    const rest = await fetch(`${api.url}/api/v1/admin/ai-usage?from=2026-03-02&to=2026-03-02`, {
      headers: { authorization: `Bearer ${(await admin.tokens.get())?.accessToken ?? ""}` },
    });
    expect(rest.status).toBe(200);
    expect(((await rest.json()) as { total: { analyses: number } }).total.analyses).toBe(1);
  });

  it("refuses a range that ends before it starts or spans more than 366 days", async () => {
    const admin = await api.signInAdmin("ai-usage-ranges@daycarat.dev");
    const refusal = (from: string, to: string) =>
      admin.client.admin.aiUsage.query({ from, to }).catch((error: unknown) => errorCode(error));
    expect(await refusal("2026-03-02", "2026-03-01")).toBe("BAD_REQUEST");
    expect(await refusal("2025-01-01", "2026-01-02")).toBe("BAD_REQUEST");
    expect(await refusal("2026-02-30", "2026-03-01")).toBe("BAD_REQUEST");
  });

  it("is for administrators only", async () => {
    const { client } = await api.signIn("ai-usage-not-admin@daycarat.dev");
    const range = { from: "2026-03-01", to: "2026-03-02" };
    expect(errorCode(await client.admin.aiUsage.query(range).catch((error: unknown) => error))).toBe("FORBIDDEN");
    expect(
      errorCode(
        await api
          .anonymous()
          .admin.aiUsage.query(range)
          .catch((error: unknown) => error),
      ),
    ).toBe("UNAUTHORIZED");
  });
});
