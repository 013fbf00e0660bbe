import { useEffect, useRef } from "react";

interface LoadMoreProps {
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
}

/** Loads the next page when scrolled into view (infinite scroll), or on a press of its button. */
export function LoadMore({ hasMore, loading, onLoadMore }: LoadMoreProps) {
  const sentinelRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = sentinelRef.current;
    if (!element || !hasMore) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !loading) onLoadMore();
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
    };
  }, [hasMore, loading, onLoadMore]);
  if (!hasMore) return null;
  return (
    <div ref={sentinelRef} className="actions" style={{ justifyContent: "center", padding: "1rem" }}>
      <button type="button" className="secondary" onClick={onLoadMore} disabled={loading}>
        {loading ? "불러오는 중…" : "더 보기"}
      </button>
    </div>
  );
}
