import { createRootRoute, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from "@tanstack/react-router";
import { AppShell } from "./components/app-shell.tsx";
import { isSignedIn } from "./lib/session.ts";
import { SignInScreen } from "./routes/sign-in.tsx";

// Every screen but sign-in loads on first visit, so the first page downloads only what it shows.
const rootRoute = createRootRoute({ component: Outlet });

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sign-in",
  beforeLoad: () => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- TanStack Router's redirects are thrown
    if (isSignedIn()) throw redirect({ to: "/" });
  },
  component: SignInScreen,
});
const kakaoCallbackRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/auth/kakao",
  component: lazyRouteComponent(() => import("./routes/provider-callback.tsx"), "KakaoCallbackScreen"),
});
const appleCallbackRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/auth/apple",
  component: lazyRouteComponent(() => import("./routes/provider-callback.tsx"), "AppleCallbackScreen"),
});

/** The signed-in part of the app. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "app",
  beforeLoad: () => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- TanStack Router's redirects are thrown
    if (!isSignedIn()) throw redirect({ to: "/sign-in" });
  },
  component: AppShell,
});

const appRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: "/",
    component: lazyRouteComponent(() => import("./routes/journal.tsx"), "JournalScreen"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/onboarding",
    component: lazyRouteComponent(() => import("./routes/onboarding.tsx"), "OnboardingScreen"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/episodes/new",
    component: lazyRouteComponent(() => import("./routes/new-episode.tsx"), "NewEpisodeScreen"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/episodes/$episodeId",
    component: lazyRouteComponent(() => import("./routes/episode.tsx"), "EpisodeScreen"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/episodes/$episodeId/gem",
    component: lazyRouteComponent(() => import("./routes/gem.tsx"), "GemScreen"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/episodes/$episodeId/analysis",
    component: lazyRouteComponent(() => import("./routes/analysis.tsx"), "AnalysisScreen"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/inbox",
    component: lazyRouteComponent(() => import("./routes/inbox.tsx"), "InboxScreen"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/notices",
    component: lazyRouteComponent(() => import("./routes/notices.tsx"), "NoticesScreen"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/notices/$noticeId",
    component: lazyRouteComponent(() => import("./routes/notices.tsx"), "NoticeScreen"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/stats",
    component: lazyRouteComponent(() => import("./routes/stats.tsx"), "StatsScreen"),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: "/settings",
    component: lazyRouteComponent(() => import("./routes/settings.tsx"), "SettingsScreen"),
  }),
] as const;

const routeTree = rootRoute.addChildren([signInRoute, kakaoCallbackRoute, appleCallbackRoute, appRoute.addChildren(appRoutes)]);

export const router = createRouter({ routeTree, defaultPreload: "intent" });

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
