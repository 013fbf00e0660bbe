import { z } from "zod";
import { fetchKakaoIdentity } from "../../auth/kakao.ts";
import { signIn } from "../../auth/sign-in.ts";
import { sessionTokens } from "../../schemas/user.ts";
import { publicProcedure } from "../../trpc.ts";

// Checked here, so that a token that could not travel in an Authorization header (a NUL, a
// character above U+00FF) is a BAD_REQUEST and Kakao is never called with it (RFC 6750's b64token).
export const kakaoInput = z.object({
  accessToken: z
    .string()
    .min(1)
    .max(4096)
    .regex(/^[\w.~+/-]+=*$/, "must be a bearer token: letters, digits and - . _ ~ + /"),
});

/** Sign in with the access token the Kakao SDK gave the app; the server asks Kakao whose it is. */
export const kakao = publicProcedure
  .meta({ openapi: { method: "POST", path: "/auth/kakao", summary: "Sign in with Kakao", tags: ["Auth"], protect: false } })
  .input(kakaoInput)
  .output(sessionTokens)
  .mutation(async ({ ctx, input }) => {
    const identity = await fetchKakaoIdentity(ctx.config.auth.kakaoApiUrl, input.accessToken);
    return signIn(ctx.db, ctx.config, identity);
  });
