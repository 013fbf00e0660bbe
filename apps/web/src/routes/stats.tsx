import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { BarChartCard } from "../components/bar-chart-card.tsx";
import { Field } from "../components/field.tsx";
import { KEYWORD_LABELS, monthLabel } from "../lib/labels.ts";
import { useTRPC } from "../lib/trpc.ts";

function Counts() {
  const trpc = useTRPC();
  const { data } = useQuery(trpc.stats.counts.queryOptions());
  return (
    <section className="card stat-numbers" aria-label="요약">
      <div>
        <strong data-testid="count-this-month">{data?.thisMonth ?? "-"}</strong>이번 달 기록
      </div>
      <div>
        <strong data-testid="count-total">{data?.total ?? "-"}</strong>전체 기록
      </div>
      <div>
        <strong data-testid="count-gems">{data?.gems ?? "-"}</strong>모은 보석
      </div>
    </section>
  );
}

function MonthlyReport({ year, month }: { year: number; month: number }) {
  const trpc = useTRPC();
  const { data } = useQuery(trpc.stats.monthlyReport.queryOptions({ year, month }));
  return (
    <section className="card" aria-labelledby="report-heading">
      <h2 id="report-heading" style={{ marginTop: 0 }}>
        {monthLabel(year, month)} 리포트
      </h2>
      {data && (
        <dl>
          <dt>이번 달에 모은 보석</dt>
          <dd data-testid="report-gems">{data.gems}개</dd>
          <dt>가장 많이 드러난 역량</dt>
          <dd data-testid="report-keyword">{data.topKeyword ? KEYWORD_LABELS[data.topKeyword] : "아직 없어요"}</dd>
          <dt>가장 활발했던 활동</dt>
          <dd data-testid="report-activity">
            {data.topActivity ? `${data.topActivity.name} (${data.topActivity.count}개)` : "아직 없어요"}
          </dd>
        </dl>
      )}
    </section>
  );
}

export function StatsScreen() {
  const trpc = useTRPC();
  const [now] = useState(() => new Date());
  const [year, setYear] = useState(now.getFullYear());
  const [month, setMonth] = useState(now.getMonth() + 1);
  const byMonth = useQuery(trpc.stats.byMonth.queryOptions({ year }));
  const byKeyword = useQuery(trpc.stats.byKeyword.queryOptions());
  const byActivityTag = useQuery(trpc.stats.byActivityTag.queryOptions());
  const years = Array.from({ length: 5 }, (_, index) => now.getFullYear() - index);
  return (
    <>
      <h1>나의 통계</h1>
      <Counts />
      <div className="filters">
        <Field label="연도">
          {(control) => (
            <select
              {...control}
              value={year}
              onChange={(event) => {
                setYear(Number(event.target.value));
              }}
            >
              {years.map((value) => (
                <option key={value} value={value}>
                  {value}년
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="리포트 월">
          {(control) => (
            <select
              {...control}
              value={month}
              onChange={(event) => {
                setMonth(Number(event.target.value));
              }}
            >
              {Array.from({ length: 12 }, (_, index) => index + 1).map((value) => (
                <option key={value} value={value}>
                  {value}월
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <MonthlyReport year={year} month={month} />
      <div className="chart-grid">
        <BarChartCard
          title={`${year}년 월별 기록`}
          rows={(byMonth.data ?? []).map((row) => ({ label: `${row.month}월`, tick: String(row.month), count: row.count }))}
        />
        <BarChartCard
          title="역량 키워드별 보석"
          horizontal
          rows={(byKeyword.data ?? []).map((row) => ({ label: KEYWORD_LABELS[row.keyword], count: row.count }))}
          empty="보석을 제출하면 AI가 찾은 역량이 여기에 모여요."
        />
        <BarChartCard
          title="활동 태그별 기록"
          horizontal
          rows={(byActivityTag.data ?? []).map((row) => ({ label: row.name, count: row.count }))}
          empty="아직 기록이 없어요."
        />
      </div>
    </>
  );
}
