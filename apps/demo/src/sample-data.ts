// The demo's Korean sample data: the user, their episode and gem, what the AI stand-in
// answers about it, and the notice an admin writes in Slack.

export const SAMPLE_USER = {
  email: "jiwoo.demo@daycarat.dev",
  nickname: "김지우",
  /** The FCM registration token the user's phone would have. */
  deviceToken: "demo-fcm-token-jiwoo-galaxy-s24",
};

export const SAMPLE_EPISODE = {
  title: "동아리 앱 출시 전 로그인 오류 잡기",
  activityTag: "IT 동아리 '코드잇다'",
  contents: [
    {
      type: "FREE" as const,
      content: "출시 2주 전, 로그인이 자꾸 풀린다는 제보가 쏟아졌다. 로그를 모아 보니 토큰 갱신 요청이 겹칠 때만 생기는 문제였다.",
    },
    { type: "LESSONS_LEARNED" as const, content: "재현하기 어려운 버그일수록 추측보다 기록이 먼저라는 걸 배웠다." },
  ],
};

/** The five SOARA answers (gems.saveDraft): every one is needed before the gem can be submitted. */
export const SAMPLE_GEM = {
  situation: "동아리 앱 출시가 2주 남았는데 로그인 오류가 계속 났다",
  objective: "출시 전에 로그인 오류를 없애기로 했다",
  action: "로그를 모아 원인을 좁히고 팀원과 매일 점검했다",
  result: "출시일에 오류 없이 앱을 내놓았다",
  aftermath: "장애 대응 문서를 만들어 다음 기수에 넘겼다",
};

/** The function call the OpenAI stand-in answers with: the API contract asks for 200–500 characters a sentence. */
export const SAMPLE_AI_ANSWER = {
  keyword: "PROBLEM_SOLVING" as const,
  sentences: [
    "동아리 앱 출시를 2주 앞두고 로그인이 반복해서 풀리는 오류가 발생했을 때, 저는 추측으로 코드를 고치기보다 사용자 제보와 서버 로그를 먼저 모았습니다. " +
      "시간대별로 요청을 정리해 보니 토큰 갱신 요청이 동시에 두 번 들어올 때만 문제가 생긴다는 공통점이 보였고, 갱신 요청을 하나로 묶는 방식으로 원인을 해결했습니다. " +
      "이 경험으로 복잡한 문제일수록 사실을 기록하고 범위를 좁혀 가는 것이 가장 빠른 길이라는 것을 배웠습니다.",
    "출시 일정이 정해진 상황에서 원인을 알 수 없는 오류는 팀 전체를 불안하게 만들었습니다. " +
      "저는 매일 저녁 15분씩 팀원들과 점검 시간을 만들어 새로 확인한 사실과 남은 가설을 공유했고, 각자 맡은 영역의 로그를 같은 형식으로 남기도록 제안했습니다. " +
      "그 결과 흩어져 있던 단서가 하나로 모였고, 우리 팀은 출시일에 로그인 오류 없이 앱을 내놓을 수 있었습니다. 문제 해결은 혼자가 아니라 함께 좁혀 가는 과정이라는 것을 체감했습니다.",
    "문제를 해결한 뒤에도 같은 일이 반복되지 않도록 장애 대응 문서를 만들어 다음 기수에 넘겼습니다. " +
      "문서에는 오류를 재현한 방법, 로그를 읽는 순서, 원인을 좁혀 간 과정과 최종 해결책을 누구나 따라 할 수 있도록 단계별로 정리했습니다. " +
      "이후 후배들이 비슷한 오류를 하루 만에 해결했다는 소식을 들으며, 한 번의 해결을 팀의 자산으로 남기는 일까지가 진짜 문제 해결이라고 생각하게 되었습니다.",
  ],
};

/** What the admin types into the Slack form. */
export const SAMPLE_NOTICE = {
  title: "12월 정기 점검 안내",
  body: "12월 3일(수) 새벽 2시부터 30분간 서비스 점검이 있어요. 점검 중에는 앱을 잠시 쓸 수 없어요.",
};

/** The Slack workspace the demo plays: an admin allowed to manage notices, in a channel. */
export const SAMPLE_SLACK = {
  adminUserId: "U0DEMOADMIN",
  channelId: "C0NOTICES",
  teamId: "T0DAYCARAT",
};
