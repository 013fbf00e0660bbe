import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { ProviderIdentity } from "./sign-in.ts";

// Kakao's user-info API: https://developers.kakao.com/docs/latest/ko/kakaologin/rest-api#req-user-info
const kakaoUserSchema = z.object({
  id: z.number(),
  kakao_account: z
    .object({
      email: z.string().optional(),
      profile: z.object({ nickname: z.string().optional(), profile_image_url: z.string().optional() }).optional(),
    })
    .optional(),
});

const KAKAO_TIMEOUT_MS = 5_000;

/** Asks Kakao who the client's access token belongs to. */
export async function fetchKakaoIdentity(apiUrl: string, accessToken: string): Promise<ProviderIdentity> {
  let response: Response;
  try {
    response = await fetch(new URL("/v2/user/me", apiUrl), {
      headers: { authorization: `Bearer ${accessToken}` },
      signal: AbortSignal.timeout(KAKAO_TIMEOUT_MS),
    });
  } catch (error) {
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Kakao is unreachable", cause: error });
  }
  if (response.status === 401) throw new TRPCError({ code: "UNAUTHORIZED", message: "Kakao rejected the access token" });
  if (!response.ok) {
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `Kakao answered ${response.status}` });
  }
  const user = kakaoUserSchema.parse(await response.json());
  return {
    provider: "KAKAO",
    providerUserId: String(user.id),
    email: user.kakao_account?.email,
    nickname: user.kakao_account?.profile?.nickname,
    profileImageUrl: user.kakao_account?.profile?.profile_image_url,
  };
}
