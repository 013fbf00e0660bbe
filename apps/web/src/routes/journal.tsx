import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { EpisodeList } from "../components/episode-list.tsx";
import { Field, FormError } from "../components/field.tsx";
import { LoadMore } from "../components/load-more.tsx";
import { TagCombobox } from "../components/tag-combobox.tsx";
import { koreanMessage } from "../lib/errors.ts";
import { KEYWORD_LABELS, keywords, monthLabel, STATE_LABELS, type EpisodeState, type Keyword } from "../lib/labels.ts";
import { useTRPC } from "../lib/trpc.ts";

interface Period {
  year: number;
  month: number;
}

const thisMonth = (): Period => ({ year: new Date().getFullYear(), month: new Date().getMonth() + 1 });
const shift = ({ year, month }: Period, by: number): Period => {
  const index = year * 12 + (month - 1) + by;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
};

function MonthNav({ period, onChange }: { period: Period | null; onChange: (period: Period | null) => void }) {
  return (
    <div className="month-nav" role="group" aria-label="기간">
      {period ? (
        <>
          <button
            type="button"
            className="secondary"
            aria-label="이전 달"
            onClick={() => {
              onChange(shift(period, -1));
            }}
          >
            ◀
          </button>
          <strong aria-live="polite">{monthLabel(period.year, period.month)}</strong>
          <button
            type="button"
            className="secondary"
            aria-label="다음 달"
            onClick={() => {
              onChange(shift(period, 1));
            }}
          >
            ▶
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              onChange(null);
            }}
          >
            전체 기간
          </button>
        </>
      ) : (
        <>
          <strong>전체 기간</strong>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              onChange(thisMonth());
            }}
          >
            월별로 보기
          </button>
        </>
      )}
    </div>
  );
}

export function JournalScreen() {
  const trpc = useTRPC();
  const [period, setPeriod] = useState<Period | null>(null);
  const [queryDraft, setQueryDraft] = useState("");
  const [query, setQuery] = useState("");
  const [tagText, setTagText] = useState("");
  const [tag, setTag] = useState<{ id: string; name: string } | null>(null);
  const [keyword, setKeyword] = useState<Keyword | "">("");
  const [state, setState] = useState<EpisodeState | "">("");

  const episodes = useInfiniteQuery(
    trpc.episodes.list.infiniteQueryOptions(
      {
        ...(period ?? {}),
        ...(query ? { query } : {}),
        ...(tag ? { activityTagId: tag.id } : {}),
        ...(keyword ? { keyword } : {}),
        ...(state ? { state } : {}),
        limit: 20,
      },
      // The list shown stays until the one for new filters arrives.
      { getNextPageParam: (page) => page.nextCursor ?? undefined, placeholderData: keepPreviousData },
    ),
  );
  const items = episodes.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <div className="actions" style={{ justifyContent: "space-between" }}>
        <h1 style={{ margin: 0 }}>나의 경험 기록</h1>
        <Link to="/episodes/new" className="button">
          새 경험 기록
        </Link>
      </div>
      <section className="card" aria-label="검색과 필터" style={{ marginTop: "1rem" }}>
        <form
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            setQuery(queryDraft.trim());
          }}
        >
          <Field label="제목·내용 검색">
            {(control) => (
              <div className="actions">
                <input
                  {...control}
                  type="search"
                  style={{ flex: "1 1 12rem", width: "auto" }}
                  value={queryDraft}
                  onChange={(event) => {
                    setQueryDraft(event.target.value);
                  }}
                />
                <button type="submit">검색</button>
              </div>
            )}
          </Field>
        </form>
        <div className="filters">
          <Field label="활동 태그 검색" hint="초성으로도 찾을 수 있어요 (예: ㅋㅅㅈ)">
            {(control) => (
              <TagCombobox
                control={control}
                value={tagText}
                onChange={(text) => {
                  setTagText(text);
                  if (!text) setTag(null);
                }}
                onPick={setTag}
              />
            )}
          </Field>
          <Field label="키워드">
            {(control) => (
              <select
                {...control}
                value={keyword}
                onChange={(event) => {
                  setKeyword(event.target.value as Keyword | "");
                }}
              >
                <option value="">전체</option>
                {keywords.map((value) => (
                  <option key={value} value={value}>
                    {KEYWORD_LABELS[value]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="상태">
            {(control) => (
              <select
                {...control}
                value={state}
                onChange={(event) => {
                  setState(event.target.value as EpisodeState | "");
                }}
              >
                <option value="">전체</option>
                <option value="DRAFT">{STATE_LABELS.DRAFT}</option>
                <option value="FINALIZED">{STATE_LABELS.FINALIZED}</option>
              </select>
            )}
          </Field>
        </div>
        {tag && (
          <p className="actions">
            <span className="tag">태그: {tag.name}</span>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setTag(null);
                setTagText("");
              }}
            >
              태그 필터 해제
            </button>
          </p>
        )}
      </section>
      <MonthNav period={period} onChange={setPeriod} />
      <FormError message={episodes.error ? koreanMessage(episodes.error) : null} />
      {episodes.isSuccess && items.length === 0 && <p>조건에 맞는 기록이 없어요. 오늘의 경험을 기록해 보세요.</p>}
      <EpisodeList episodes={items} />
      <LoadMore
        hasMore={episodes.hasNextPage}
        loading={episodes.isFetchingNextPage}
        onLoadMore={() => {
          void episodes.fetchNextPage();
        }}
      />
    </>
  );
}
