import { listenFakeOpenAI, type FakeOpenAI } from "@daycarat/devkit";

// Three cover-letter paragraphs within the answer contract (200–500 characters each), so that
// every call is a valid answer and the worker never retries: the benchmark measures the
// pipeline, not the retry policy.
const SENTENCES = [
  "동아리 운영진으로 활동하며 매주 정기 모임의 참석률이 떨어지는 문제를 발견했습니다. 저는 회원 서른 명을 대상으로 설문을 진행해 모임 시간과 내용이 맞지 않는다는 원인을 찾았고, 주제별 소모임과 온라인 참여 방식을 새로 제안했습니다. " +
    "운영진 회의에서 반대 의견도 있었지만 작은 규모로 먼저 시험해 본 결과를 자료로 정리해 설득했고, 한 학기 만에 참석률을 사십 퍼센트에서 팔십 퍼센트로 끌어올렸습니다. 이 경험으로 문제의 원인을 데이터로 확인하고 실행으로 증명하는 태도를 배웠습니다.",
  "교내 해커톤에서 팀원 네 명과 함께 이틀 동안 지역 소상공인을 위한 예약 서비스를 만들었습니다. 첫날 저녁 서버 배포가 계속 실패하자 저는 역할을 나누어 원인을 하나씩 지워 나가는 방식을 제안했고, 환경 설정 파일의 오류를 찾아 밤새 문제를 해결했습니다. " +
    "마감 직전에는 기능을 욕심내기보다 핵심 흐름 하나를 완성하는 데 집중하자고 팀을 설득했고, 그 결과 시연을 끝까지 마쳐 우수상을 받았습니다. 어려운 상황에서도 우선순위를 정하고 끝까지 실행하는 힘을 키울 수 있었습니다.",
  "카페 아르바이트를 하며 주말마다 주문이 몰려 대기 시간이 길어지는 문제를 겪었습니다. 저는 한 달 동안 시간대별 주문량과 메뉴별 제조 시간을 기록해 점장님께 공유했고, 인기 메뉴의 재료를 미리 준비하는 동선과 역할 분담 방식을 제안했습니다. " +
    "처음에는 동료들이 새로운 방식에 익숙하지 않았지만 직접 시범을 보이고 매일 짧게 피드백을 나누며 함께 개선했습니다. 그 결과 평균 대기 시간을 십오 분에서 칠 분으로 줄였고, 작은 관찰이 팀 전체의 성과를 바꿀 수 있다는 것을 배웠습니다.",
];

/**
 * The local model for one run: every chat completion is answered after `latencyMs` with a
 * valid `record_analysis` call. A fresh one per run, so its in-flight peak is that run's own.
 */
export function startModelServer(latencyMs: number): Promise<FakeOpenAI> {
  return listenFakeOpenAI(() => ({ toolCall: { keyword: "EXECUTION", sentences: SENTENCES }, delayMs: latencyMs }));
}
