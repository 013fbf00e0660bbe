import { listenLocalServer, sendJson, type LocalServer } from "./local-server.ts";

// A local stand-in for Kakao's user-info API, as the server calls it: GET /v2/user/me with the
// user's access token (KAKAO_API_URL=<url>).

/** The token Kakao answers 503 for, as during its maintenance. */
export const KAKAO_OUTAGE_TOKEN = "kakao-token-outage";

/** `users` maps access tokens to the profile Kakao returns for them; any other token is refused (401). */
export function listenFakeKakao(users: Record<string, unknown>): Promise<LocalServer> {
  return listenLocalServer((request, response) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1] ?? "";
    const user = users[token];
    if (request.url !== "/v2/user/me") sendJson(response, 404, {});
    else if (token === KAKAO_OUTAGE_TOKEN) sendJson(response, 503, { msg: "maintenance" });
    else if (!user) sendJson(response, 401, { msg: "this access token does not exist", code: -401 });
    else sendJson(response, 200, user);
  });
}
