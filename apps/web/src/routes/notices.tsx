import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { FormError } from "../components/field.tsx";
import { LoadMore } from "../components/load-more.tsx";
import { koreanMessage } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";

const formatDate = (iso: string) => new Date(iso).toLocaleDateString("ko-KR", { dateStyle: "long" });
const route = getRouteApi("/app/notices/$noticeId");

export function NoticesScreen() {
  const trpc = useTRPC();
  const notices = useInfiniteQuery(
    trpc.notices.list.infiniteQueryOptions({}, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const items = notices.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <h1>공지사항</h1>
      <FormError message={notices.error ? koreanMessage(notices.error) : null} />
      {notices.isSuccess && items.length === 0 && <p>아직 공지사항이 없어요.</p>}
      <ul className="episode-list">
        {items.map((notice) => (
          <li key={notice.id} className="card">
            <Link to="/notices/$noticeId" params={{ noticeId: notice.id }} className="episode-link">
              <strong>{notice.title}</strong>
              <span className="meta"> {formatDate(notice.sentAt)}</span>
            </Link>
          </li>
        ))}
      </ul>
      <LoadMore
        hasMore={notices.hasNextPage}
        loading={notices.isFetchingNextPage}
        onLoadMore={() => {
          void notices.fetchNextPage();
        }}
      />
    </>
  );
}

export function NoticeScreen() {
  const { noticeId } = route.useParams();
  const trpc = useTRPC();
  const notice = useQuery(trpc.notices.get.queryOptions({ id: noticeId }));
  return (
    <>
      <FormError message={notice.error ? koreanMessage(notice.error) : null} />
      {notice.data && (
        <article className="card">
          <h1>{notice.data.title}</h1>
          <p className="meta">{formatDate(notice.data.sentAt)}</p>
          <p className="notice-body">{notice.data.body}</p>
        </article>
      )}
      <Link to="/notices">목록으로</Link>
    </>
  );
}
