import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../lib/trpc.ts";

/** The number of unread notifications; refreshed by the live inbox, never polled. */
export function UnreadBadge() {
  const trpc = useTRPC();
  const { data } = useQuery(trpc.notifications.unreadCount.queryOptions());
  const count = data?.count ?? 0;
  if (count === 0) return <span className="visually-hidden">읽지 않은 알림 없음</span>;
  return (
    <span className="badge" data-testid="unread-badge">
      <span className="visually-hidden">읽지 않은 알림 </span>
      {count}
    </span>
  );
}
