import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expiredAccessToken } from "@daycarat/server/testing";
import { FAILING_TITLE, MODEL_SENTENCES, startWebSystem } from "./web-system.ts";

// The journal in a real Chromium on its own origin, against the real server, worker and
// database: one person's story from sign-in to deleting the account, each screen saved as a
// screenshot in test/artifacts/.

const ARTIFACTS = path.join(import.meta.dirname, "artifacts");
const EMAIL = "web-jiwoo@daycarat.dev";
const TITLE = "해커톤에서 팀장을 맡다";
const TAG = "큐시즘 29기";
const OTHER_TAG = "멋쟁이사자처럼 12기";
const SOARA = {
  "어떤 상황이었나요? (상황)": "동아리 앱 출시가 2주 남았는데 로그인 오류가 계속 났다",
  "어떤 목표를 세웠나요? (목표)": "출시 전에 로그인 오류를 없애기로 했다",
  "목표를 위해 어떤 행동을 했나요? (행동)": "로그를 모아 원인을 좁히고 팀원과 매일 점검했다",
  "어떤 결과를 얻었나요? (결과)": "출시일에 오류 없이 앱을 내놓았다",
};
const AFTERMATH = "장애 대응 문서를 만들어 다음 기수에 넘겼다";

const system = await startWebSystem();
let page: Page;
let episodeId = "";

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The unread badge's number, or 0 while there is none. */
async function unreadBadge(): Promise<number> {
  const badge = page.getByTestId("unread-badge");
  return (await badge.count()) === 0 ? 0 : Number((await badge.textContent())?.replace(/\D/g, ""));
}

async function waitForBadge(count: number): Promise<void> {
  await page.waitForFunction((expected) => {
    const badge = document.querySelector("[data-testid=unread-badge]");
    return Number(badge?.textContent.replace(/\D/g, "") ?? 0) === expected;
  }, count);
}

/** The screen holds at 360 px wide: nothing wider than the window (a screenshot shows it). */
async function expectNarrowLayout(name: string): Promise<void> {
  await page.setViewportSize({ width: 360, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await screenshot(name);
  await page.setViewportSize({ width: 1024, height: 900 });
}

const userIdOf = async (email: string) => (await system.db.user.findFirstOrThrow({ where: { email } })).id;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const context = await system.browser.newContext({ viewport: { width: 1024, height: 900 }, locale: "ko-KR" });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: system.webOrigin });
  page = await context.newPage();
});
afterAll(() => page.context().close());

describe("the web app, end to end", { timeout: 60_000 }, () => {
  it("signs in with development sign-in, on its own origin, and onboards", async () => {
    await page.goto(system.webOrigin);
    await page.waitForURL(`${system.webOrigin}/sign-in`);
    await page.getByRole("heading", { name: "데이캐럿 시작하기" }).waitFor();
    // Kakao and Apple are not configured in this build: no buttons for them.
    expect(await page.getByRole("button").allTextContents()).toEqual(["시작하기"]);
    await screenshot("01-sign-in");

    await page.getByLabel("이메일").fill(EMAIL);
    await page.getByRole("button", { name: "시작하기" }).click();
    await page.waitForURL(`${system.webOrigin}/onboarding`);
    await page.getByLabel("닉네임").fill("지우");
    await page.getByLabel("희망 직군").fill("백엔드 개발자");
    for (const strength of ["끈기", "소통"]) {
      await page.getByLabel("나의 강점").fill(strength);
      await page.getByLabel("나의 강점").press("Enter");
    }
    await screenshot("02-onboarding");
    await page.getByRole("button", { name: "저장하고 시작하기" }).click();
    await page.getByRole("heading", { name: "나의 경험 기록" }).waitFor();

    const user = await system.db.user.findFirstOrThrow({ where: { email: EMAIL } });
    expect(user).toMatchObject({ nickname: "지우", jobTitle: "백엔드 개발자", strengths: ["끈기", "소통"] });
    expect(user.onboardedAt).not.toBeNull();
  });

  it("creates an episode and finds it by a 초성 search of its activity tag", async () => {
    // Another episode with another tag, which the tag filter must leave out.
    const other = await system.signIn(EMAIL);
    await other.client.episodes.create.mutate({
      title: "아이디어톤 발표",
      date: new Date().toISOString().slice(0, 10),
      activityTag: OTHER_TAG,
      contents: [{ type: "FREE", content: "발표를 맡았다" }],
    });

    await page.getByRole("link", { name: "새 경험 기록" }).click();
    await page.getByLabel("활동 태그", { exact: true }).fill(TAG);
    await page.getByLabel("대표 내용 본문").fill("역할을 일찍 나누니 마감 전날에도 여유가 있었다.");
    // The API's refusal, in Korean, tied to the field it concerns.
    const title = page.getByLabel("제목", { exact: true });
    await title.fill("가".repeat(101));
    await page.getByRole("button", { name: "기록 저장" }).click();
    await page.getByText("100자 이내로 입력해 주세요.").waitFor();
    expect(await title.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await title.getAttribute("aria-describedby"))?.split(" ") ?? [];
    const descriptions = await Promise.all(describedBy.map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(descriptions).toContain("100자 이내로 입력해 주세요.");
    await title.fill(TITLE);
    await page.getByText("27 / 50,000자").waitFor();
    await screenshot("03-episode-editor");
    await page.getByRole("button", { name: "기록 저장" }).click();
    await page.getByRole("heading", { name: TITLE }).waitFor();
    episodeId = page.url().split("/").at(-1) ?? "";
    const saved = await system.db.episode.findUniqueOrThrow({ where: { id: episodeId }, include: { activityTag: true, contents: true } });
    expect(saved.activityTag.name).toBe(TAG);
    expect(saved.contents.map((content) => content.type)).toEqual(["LESSONS_LEARNED"]);

    await page.getByRole("link", { name: "기록", exact: true }).click();
    await page.getByText("아이디어톤 발표").waitFor();
    const tagSearch = page.getByRole("combobox", { name: "활동 태그 검색" });
    await tagSearch.fill("ㅋㅅㅈ");
    await page.getByRole("option", { name: new RegExp(TAG) }).waitFor();
    expect(await page.getByRole("listbox", { name: "추천 활동 태그" }).getByRole("option").allTextContents()).toEqual([`${TAG} 기록 1개`]);
    // From the keyboard: down to the suggestion, Enter to filter by it.
    await tagSearch.press("ArrowDown");
    await tagSearch.press("Enter");
    await page.getByText(`태그: ${TAG}`).waitFor();
    await page.getByText("아이디어톤 발표").waitFor({ state: "detached" });
    await page.getByRole("link", { name: new RegExp(TITLE) }).waitFor();
    const titles = await page.locator(".episode-link strong").allTextContents();
    expect(titles).toEqual([TITLE]);
    await screenshot("04-journal-search");

    await expectNarrowLayout("05-journal-360px");
  });

  it("writes a gem with drafts saved automatically, through an expired session, and submits it", async () => {
    await page.goto(`${system.webOrigin}/episodes/${episodeId}/gem`);
    for (const [question, answer] of Object.entries(SOARA)) await page.getByLabel(question).fill(answer);
    await page.getByText("자동 저장됨").waitFor();

    // The access token expires while writing: the client refreshes it and the draft is saved anyway.
    const expired = await expiredAccessToken(await userIdOf(EMAIL));
    await page.evaluate((accessToken) => {
      const session = JSON.parse(localStorage.getItem("daycarat.session") ?? "{}") as Record<string, string>;
      localStorage.setItem("daycarat.session", JSON.stringify({ ...session, accessToken }));
    }, expired);
    await page.getByLabel("그 경험이 어떤 영향을 남겼나요? (영향)").fill(AFTERMATH);
    await page.getByText("자동 저장됨").waitFor();
    const gem = await system.db.gem.findUniqueOrThrow({ where: { episodeId } });
    expect(gem).toMatchObject({ situation: SOARA["어떤 상황이었나요? (상황)"], aftermath: AFTERMATH, submittedAt: null });
    expect(await page.evaluate(() => localStorage.getItem("daycarat.session"))).not.toContain(expired);

    // The saved draft is what a reload shows.
    await page.reload();
    expect(await page.getByLabel("그 경험이 어떤 영향을 남겼나요? (영향)").inputValue()).toBe(AFTERMATH);
    await screenshot("06-gem-editor");
    await page.getByRole("button", { name: "보석 제출하고 AI 분석 받기" }).click();
    await page.waitForURL(`${system.webOrigin}/episodes/${episodeId}/analysis`);
  });

  it("shows the analysis arriving live, without a reload or polling, and the unread badge changing", async () => {
    const analysisCalls: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("gems.analysis")) analysisCalls.push(request.url());
    });
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });
    await page.locator("[data-status=PENDING], [data-status=RUNNING]").waitFor();
    expect(await unreadBadge()).toBe(0);

    await page.locator("[data-status=SUCCEEDED]").waitFor({ timeout: 20_000 });
    expect(await page.getByTestId("analysis-keyword").textContent()).toBe("실행력");
    expect(await page.locator(".sentences li").allTextContents()).toEqual(MODEL_SENTENCES);
    await waitForBadge(1);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    // Loaded when the screen opened and once more when the notification arrived: never on a timer
    // (the model took 2.5 s, the worker its polling interval on top).
    expect(analysisCalls.length).toBeLessThanOrEqual(2);

    await page.getByRole("button", { name: "자기소개서용으로 복사" }).click();
    await page.getByText("클립보드에 복사했어요.").waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(`어떤 상황이었나요? (상황)\n${SOARA["어떤 상황이었나요? (상황)"]}`);
    expect(copied).toContain(`자기소개서 추천 문장\n${MODEL_SENTENCES.join("\n")}`);
    await screenshot("07-analysis");
  });

  it("marks the notification read in the inbox, the badge following", async () => {
    await page.getByRole("link", { name: /알림/ }).click();
    const item = page.getByTestId("notification");
    await item.first().waitFor();
    expect(await item.count()).toBe(1);
    await screenshot("08-inbox");
    await item.getByRole("button", { name: /읽음으로 표시/ }).click();
    await waitForBadge(0);
    await item.getByRole("button", { name: /읽음으로 표시/ }).waitFor({ state: "detached" });
    const unread = await system.db.notification.count({ where: { userId: await userIdOf(EMAIL), readAt: null } });
    expect(unread).toBe(0);
  });

  it("lists the notices and opens one", async () => {
    const notice = await system.db.notice.create({
      data: {
        title: "데이캐럿 웹 버전 출시",
        body: "이제 브라우저에서도 기록할 수 있어요.",
        source: "API",
        status: "SENT",
        sentAt: new Date(),
      },
    });
    // Offline, the app says so; back online, it says nothing.
    await page.context().setOffline(true);
    await page.getByText("오프라인 상태예요").waitFor();
    await page.context().setOffline(false);
    await page.getByText("오프라인 상태예요").waitFor({ state: "detached" });
    await page.getByRole("link", { name: "공지" }).click();
    await page.getByRole("link", { name: /데이캐럿 웹 버전 출시/ }).click();
    await page.waitForURL(`${system.webOrigin}/notices/${notice.id}`);
    await page.getByText("이제 브라우저에서도 기록할 수 있어요.").waitFor();
    await screenshot("09-notice");
  });

  it("charts the statistics with the right numbers", async () => {
    await page.getByRole("link", { name: "통계" }).click();
    await page.getByTestId("count-total").filter({ hasText: "2" }).waitFor();
    expect(await page.getByTestId("count-this-month").textContent()).toBe("2");
    expect(await page.getByTestId("count-gems").textContent()).toBe("1");
    await page.getByTestId("report-keyword").filter({ hasText: "실행력" }).waitFor();
    expect(await page.getByTestId("report-gems").textContent()).toBe("1개");
    expect(await page.getByTestId("report-activity").textContent()).toBe(`${TAG} (1개)`);

    const month = new Date().getMonth() + 1;
    const chartRows = async (title: string) => {
      const figure = page.getByRole("figure", { name: title });
      const rows = await figure
        .locator("tbody tr")
        .evaluateAll((trs) => trs.map((tr) => [tr.children[0]?.textContent, Number(tr.children[1]?.textContent)]));
      return { figure, rows: Object.fromEntries(rows) as Record<string, number> };
    };
    const byMonth = await chartRows(`${new Date().getFullYear()}년 월별 기록`);
    expect(byMonth.rows[`${month}월`]).toBe(2);
    expect(Object.values(byMonth.rows).reduce((sum, count) => sum + count, 0)).toBe(2);
    const byKeyword = await chartRows("역량 키워드별 보석");
    expect(byKeyword.rows).toMatchObject({ 실행력: 1, 커뮤니케이션: 0 });
    const byTag = await chartRows("활동 태그별 기록");
    expect(byTag.rows).toEqual({ [TAG]: 1, [OTHER_TAG]: 1 });
    // The charts draw those numbers: a labelled bar for each count above 0.
    expect(await byMonth.figure.locator(".recharts-label-list text").allTextContents()).toEqual(["2"]);
    expect(await byKeyword.figure.locator(".recharts-label-list text").allTextContents()).toEqual(["1"]);
    expect(await byTag.figure.locator(".recharts-label-list text").allTextContents()).toEqual(["1", "1"]);
    await screenshot("10-stats");
    await expectNarrowLayout("10-stats-360px");
  });

  it("saves the settings", async () => {
    await page.getByRole("link", { name: "설정" }).click();
    await page.getByLabel("공지사항").uncheck();
    await page.getByLabel("방해 금지 시간 사용").check();
    await page.getByLabel("시작 시각").fill("23:30");
    await page.getByLabel("종료 시각").fill("07:00");
    await page.getByLabel("푸시 알림 받기").uncheck();
    await page.getByRole("button", { name: "설정 저장" }).click();
    await page.getByText("저장했어요.").waitFor();
    const userId = await userIdOf(EMAIL);
    const preferences = await system.db.notificationPreference.findUniqueOrThrow({ where: { userId } });
    expect(preferences).toMatchObject({
      notices: false,
      aiResults: true,
      quietHoursEnabled: true,
      quietHoursStart: 23 * 60 + 30,
      quietHoursEnd: 7 * 60,
    });
    expect((await system.db.user.findUniqueOrThrow({ where: { id: userId } })).pushAllowed).toBe(false);

    await page.reload();
    expect(await page.getByLabel("공지사항").isChecked()).toBe(false);
    expect(await page.getByLabel("시작 시각").inputValue()).toBe("23:30");
    await screenshot("11-settings");
    await expectNarrowLayout("11-settings-360px");
  });

  it("calls the API on its other origin, which refuses an origin not on its allowlist", async () => {
    const answered = page.waitForResponse(
      (response) => response.url().startsWith(`${system.apiUrl}/trpc/`) && response.url().includes("me.get"),
    );
    await page.reload();
    const response = await answered;
    expect(response.status()).toBe(200);
    expect(response.headers()["access-control-allow-origin"]).toBe(system.webOrigin);

    // The same app served from an origin the API does not allow: the browser refuses the answer.
    const foreign = await page.context().newPage();
    await foreign.goto(`${system.foreignOrigin}/sign-in`);
    await foreign.getByLabel("이메일").fill("web-foreign@daycarat.dev");
    await foreign.getByRole("button", { name: "시작하기" }).click();
    await foreign.getByText("서버에 연결할 수 없어요").first().waitFor();
    expect(await foreign.evaluate(() => localStorage.getItem("daycarat.session"))).toBeNull();
    await foreign.close();
    const preflight = await fetch(`${system.apiUrl}/trpc/auth.dev`, {
      method: "OPTIONS",
      headers: { origin: system.foreignOrigin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("deletes the account after a confirmation", async () => {
    await page.getByRole("button", { name: "회원 탈퇴" }).click();
    const dialog = page.getByRole("dialog", { name: "정말 탈퇴할까요?" });
    await dialog.waitFor();
    await screenshot("12-delete-account");
    await dialog.getByRole("button", { name: "탈퇴하기" }).click();
    await page.waitForURL(`${system.webOrigin}/sign-in`);
    expect(await system.db.user.findFirst({ where: { email: EMAIL } })).toBeNull();
    expect(await page.evaluate(() => localStorage.getItem("daycarat.session"))).toBeNull();
  });

  it("pages a long journal in as it scrolls, month by month", async () => {
    const writer = await system.signIn("web-scroll@daycarat.dev");
    await writer.client.me.update.mutate({ onboarded: true });
    // 25 episodes over three months: more than one page of 20.
    const dates = Array.from({ length: 25 }, (_, index) => `2026-0${3 + (index % 3)}-${String(1 + index).padStart(2, "0")}`);
    await Promise.all(
      dates.map((date, index) =>
        writer.client.episodes.create.mutate({
          title: `기록 ${index + 1}`,
          date,
          activityTag: "스터디",
          contents: [{ type: "FREE", content: "내용" }],
        }),
      ),
    );
    await page.getByLabel("이메일").fill("web-scroll@daycarat.dev");
    await page.getByRole("button", { name: "시작하기" }).click();
    const episodes = page.locator(".episode-link");
    await episodes.first().waitFor();
    expect(await episodes.count()).toBe(20);
    await page.getByRole("button", { name: "더 보기" }).scrollIntoViewIfNeeded();
    // The oldest comes last, on the second page.
    await page.locator(".episode-link strong", { hasText: /^기록 1$/ }).waitFor();
    expect(await episodes.count()).toBe(25);
    expect(await page.locator("main h2").allTextContents()).toEqual(["2026년 5월", "2026년 4월", "2026년 3월"]);
    await page.getByRole("button", { name: "더 보기" }).waitFor({ state: "detached" });
  });

  it("offers to retry a failed analysis, and shows the result of the retry", async () => {
    const writer = await system.signIn("web-scroll@daycarat.dev");
    const episode = await writer.client.episodes.create.mutate({
      title: FAILING_TITLE,
      date: "2026-06-01",
      activityTag: "스터디",
      contents: [{ type: "FREE", content: "내용" }],
    });
    await writer.client.gems.saveDraft.mutate({
      episodeId: episode.id,
      situation: "상황",
      objective: "목표",
      action: "행동",
      result: "결과",
      aftermath: "영향",
    });
    await page.goto(`${system.webOrigin}/episodes/${episode.id}/gem`);
    await page.getByRole("button", { name: "보석 제출하고 AI 분석 받기" }).click();
    await page.locator("[data-status=FAILED]").waitFor({ timeout: 20_000 });
    await screenshot("14-analysis-failed");
    await page.getByRole("button", { name: "다시 분석하기" }).click();
    await page.locator("[data-status=SUCCEEDED]").waitFor({ timeout: 20_000 });
    expect(await page.getByTestId("analysis-keyword").textContent()).toBe("실행력");
  });

  it("keeps a new episode's draft when the session cannot be renewed and the user signs in again", async () => {
    await page.goto(`${system.webOrigin}/episodes/new`);
    await page.getByLabel("제목", { exact: true }).fill("다시 로그인해도 남는 초안");
    await page.getByLabel("대표 내용 본문").fill("로그인이 끊겨도 이 글은 남아 있어야 한다.");
    // Both tokens refused (the sign-in was revoked elsewhere): the save fails, sign-in follows.
    await page.evaluate(() => {
      localStorage.setItem("daycarat.session", JSON.stringify({ accessToken: "revoked", refreshToken: "revoked" }));
    });
    await page.getByRole("button", { name: "기록 저장" }).click();
    await page.waitForURL(`${system.webOrigin}/sign-in`);
    await page.getByLabel("이메일").fill("web-scroll@daycarat.dev");
    await page.getByRole("button", { name: "시작하기" }).click();
    await page.getByRole("link", { name: "새 경험 기록" }).click();
    expect(await page.getByLabel("제목", { exact: true }).inputValue()).toBe("다시 로그인해도 남는 초안");
    expect(await page.getByLabel("대표 내용 본문").inputValue()).toBe("로그인이 끊겨도 이 글은 남아 있어야 한다.");
  });

  it("signs out, and says so in Korean when sign-ins are rate limited", async () => {
    await page.getByRole("link", { name: "설정" }).click();
    await page.getByRole("button", { name: "로그아웃" }).click();
    await page.waitForURL(`${system.webOrigin}/sign-in`);
    // Nothing of the session is left behind: no tokens, and the draft kept above is gone too.
    expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith("daycarat.")))).toEqual([]);

    // Spend this address's sign-ins for the minute (RATE_LIMIT_SIGN_IN_PER_MINUTE, 30 by default).
    let status = 0;
    for (let attempt = 0; attempt < 100 && status !== 429; attempt++) {
      const response = await fetch(`${system.apiUrl}/trpc/auth.dev`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "web-limited@daycarat.dev" }),
      });
      status = response.status;
    }
    expect(status).toBe(429);
    await page.getByLabel("이메일").fill("web-limited@daycarat.dev");
    await page.getByRole("button", { name: "시작하기" }).click();
    await page.getByText("요청이 너무 많아요. 잠시 후 다시 시도해 주세요.").first().waitFor();
    await screenshot("13-rate-limited");
  });
});
