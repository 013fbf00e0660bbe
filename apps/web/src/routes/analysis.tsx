import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useState } from "react";
import type { RouterOutputs } from "@daycarat/client";
import { FormError } from "../components/field.tsx";
import { koreanMessage } from "../lib/errors.ts";
import { KEYWORD_LABELS } from "../lib/labels.ts";
import { useTRPC, useTRPCClient } from "../lib/trpc.ts";

type Analysis = NonNullable<RouterOutputs["gems"]["analysis"]>;
const route = getRouteApi("/app/episodes/$episodeId/analysis");

const STATUS_TEXT: Record<Analysis["status"], string> = {
  PENDING: "AI가 분석을 준비하고 있어요…",
  RUNNING: "AI가 분석하고 있어요…",
  SUCCEEDED: "분석이 끝났어요!",
  FAILED: "분석하지 못했어요.",
};

/** Why an analysis failed, in words; the API's reason code stays visible for support. */
const FAILURE_TEXT: Record<string, string> = {
  AI_NOT_CONFIGURED: "AI 분석이 아직 설정되지 않았어요.",
  AI_TIMEOUT: "AI가 제시간에 답하지 않았어요.",
  AI_UNREACHABLE: "AI에 연결하지 못했어요.",
  AI_RATE_LIMITED: "AI 사용량이 많아 분석하지 못했어요.",
  AI_REFUSED: "AI가 이 내용의 분석을 거절했어요.",
  GEM_CHANGED: "분석하는 동안 보석이 바뀌었어요.",
  AI_WORKER_LOST: "분석 작업이 중단되었어요.",
};
const failureText = (reason: string | null) =>
  reason ? (FAILURE_TEXT[reason] ?? "AI의 답이 올바르지 않았어요.") : "알 수 없는 이유로 실패했어요.";

function CopyButton({ episodeId }: { episodeId: string }) {
  const client = useTRPCClient();
  const [copied, setCopied] = useState(false);
  const copy = useMutation({
    mutationFn: async () => {
      const { text } = await client.gems.clipboard.query({ episodeId });
      await navigator.clipboard.writeText(text);
    },
    onSuccess: () => {
      setCopied(true);
    },
  });
  return (
    <div className="actions">
      <button
        type="button"
        onClick={() => {
          copy.mutate();
        }}
        disabled={copy.isPending}
      >
        자기소개서용으로 복사
      </button>
      <span role="status">{copied ? "클립보드에 복사했어요." : ""}</span>
      <FormError message={copy.error ? "복사하지 못했어요. 브라우저의 클립보드 권한을 확인해 주세요." : null} />
    </div>
  );
}

function AnalysisResult({ episodeId, analysis }: { episodeId: string; analysis: Analysis }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const retry = useMutation(
    trpc.gems.retryAnalysis.mutationOptions({
      onSuccess: (started) => {
        queryClient.setQueryData(trpc.gems.analysis.queryKey({ episodeId }), started);
      },
    }),
  );
  return (
    <section className="card" aria-live="polite" aria-labelledby="analysis-status">
      <h2 id="analysis-status" style={{ marginTop: 0 }} data-status={analysis.status}>
        {STATUS_TEXT[analysis.status]}
      </h2>
      {analysis.status === "SUCCEEDED" && (
        <>
          <p>
            역량 키워드: <strong data-testid="analysis-keyword">{analysis.keyword ? KEYWORD_LABELS[analysis.keyword] : "없음"}</strong>
          </p>
          <h3>자기소개서 추천 문장</h3>
          <ol className="sentences">
            {analysis.sentences.map((sentence) => (
              <li key={sentence}>{sentence}</li>
            ))}
          </ol>
          <CopyButton episodeId={episodeId} />
        </>
      )}
      {analysis.status === "FAILED" && (
        <>
          <p>
            {failureText(analysis.failureReason)} <span className="meta">({analysis.failureReason ?? "UNKNOWN"})</span>
          </p>
          <button
            type="button"
            onClick={() => {
              retry.mutate({ episodeId });
            }}
            disabled={retry.isPending}
          >
            다시 분석하기
          </button>
          <FormError message={retry.error ? koreanMessage(retry.error) : null} />
        </>
      )}
    </section>
  );
}

export function AnalysisScreen() {
  const { episodeId } = route.useParams();
  const trpc = useTRPC();
  // No polling: the live inbox refreshes this once the worker's notification arrives.
  const analysis = useQuery(trpc.gems.analysis.queryOptions({ episodeId }));
  return (
    <>
      <h1>AI 분석</h1>
      <FormError message={analysis.error ? koreanMessage(analysis.error) : null} />
      {analysis.isSuccess &&
        (analysis.data ? <AnalysisResult episodeId={episodeId} analysis={analysis.data} /> : <p>아직 제출한 보석이 없어요.</p>)}
      <Link to="/episodes/$episodeId" params={{ episodeId }}>
        기록으로 돌아가기
      </Link>
    </>
  );
}
