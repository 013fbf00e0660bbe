import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { RouterOutputs } from "@daycarat/client";
import { FormError } from "../components/field.tsx";
import { LoadMore } from "../components/load-more.tsx";
import { koreanMessage } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";

type Notification = RouterOutputs["notifications"]["list"]["items"][number];

const formatTime = (iso: string) => new Date(iso).toLocaleString("ko-KR", { dateStyle: "medium", timeStyle: "short" });

function NotificationItem({ notification, onMarkRead }: { notification: Notification; onMarkRead: () => void }) {
  const episodeId = typeof notification.data.episodeId === "string" ? notification.data.episodeId : undefined;
  const unread = notification.readAt === null;
  return (
    <li className={unread ? "card unread" : "card"} data-testid="notification">
      <strong>{notification.title}</strong>
      {unread && <span className="visually-hidden"> (읽지 않음)</span>}
      <p style={{ margin: "0.25rem 0" }}>{notification.body}</p>
      <div className="actions meta">
        <time dateTime={notification.createdAt}>{formatTime(notification.createdAt)}</time>
        {episodeId && (
          <Link to="/episodes/$episodeId/analysis" params={{ episodeId }}>
            결과 보기
          </Link>
        )}
        {unread && (
          <button type="button" className="secondary" onClick={onMarkRead} aria-label={`${notification.title} 읽음으로 표시`}>
            읽음으로 표시
          </button>
        )}
      </div>
    </li>
  );
}

export function InboxScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const inbox = useInfiniteQuery(
    trpc.notifications.list.infiniteQueryOptions({}, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() });
  const markRead = useMutation(trpc.notifications.markRead.mutationOptions({ onSuccess: refresh }));
  const markAllRead = useMutation(trpc.notifications.markAllRead.mutationOptions({ onSuccess: refresh }));
  const items = inbox.data?.pages.flatMap((page) => page.items) ?? [];
  const error = inbox.error ?? markRead.error ?? markAllRead.error;
  return (
    <>
      <div className="actions" style={{ justifyContent: "space-between" }}>
        <h1 style={{ margin: 0 }}>알림</h1>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            markAllRead.mutate();
          }}
          disabled={!items.some((item) => item.readAt === null)}
        >
          모두 읽음
        </button>
      </div>
      <FormError message={error ? koreanMessage(error) : null} />
      {inbox.isSuccess && items.length === 0 && <p>아직 알림이 없어요.</p>}
      <ul className="episode-list" style={{ marginTop: "1rem" }}>
        {items.map((notification) => (
          <NotificationItem
            key={notification.id}
            notification={notification}
            onMarkRead={() => {
              markRead.mutate({ ids: [notification.id] });
            }}
          />
        ))}
      </ul>
      <LoadMore
        hasMore={inbox.hasNextPage}
        loading={inbox.isFetchingNextPage}
        onLoadMore={() => {
          void inbox.fetchNextPage();
        }}
      />
    </>
  );
}
