import { useQuery } from "@tanstack/react-query";
import { Link, Outlet, useLocation, useNavigate } from "@tanstack/react-router";
import { useEffect } from "react";
import { useLiveInbox } from "../lib/live-inbox.ts";
import { useSignedIn } from "../lib/session.ts";
import { useTRPC } from "../lib/trpc.ts";
import { StatusBar } from "./status-bar.tsx";
import { UnreadBadge } from "./unread-badge.tsx";

/** The signed-in screens: navigation with the live unread badge, and onboarding first for new users. */
export function AppShell() {
  const signedIn = useSignedIn();
  const trpc = useTRPC();
  const me = useQuery({ ...trpc.me.get.queryOptions(), enabled: signedIn });
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const needsOnboarding = me.data?.onboarded === false && pathname !== "/onboarding";
  useLiveInbox(signedIn);

  // Once, when it happens (a <Navigate> would navigate again on every render of a pending navigation).
  useEffect(() => {
    // The session ended (signed out, or the refresh token was refused): sign in again.
    if (!signedIn) void navigate({ to: "/sign-in" });
    else if (needsOnboarding) void navigate({ to: "/onboarding" });
  }, [signedIn, needsOnboarding, navigate]);

  if (!signedIn || needsOnboarding) return null;
  return (
    <>
      <a className="visually-hidden" href="#main">
        본문으로 건너뛰기
      </a>
      <header className="shell-header">
        <div className="shell-header-inner">
          <Link to="/" className="brand">
            데이캐럿
          </Link>
          <nav className="nav" aria-label="주요 메뉴">
            <Link to="/" activeOptions={{ exact: true }}>
              기록
            </Link>
            <Link to="/stats">통계</Link>
            <Link to="/inbox">
              알림 <UnreadBadge />
            </Link>
            <Link to="/notices">공지</Link>
            <Link to="/settings">설정</Link>
          </nav>
        </div>
      </header>
      <StatusBar />
      <main id="main">
        <Outlet />
      </main>
    </>
  );
}
