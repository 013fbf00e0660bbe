import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { signIn } from "../../auth/sign-in.ts";
import { sessionTokens } from "../../schemas/user.ts";
import { publicProcedure } from "../../trpc.ts";

export const devInput = z.object({
  email: z.email().max(320),
  nickname: z.string().trim().min(1).max(30).optional(),
});

/** Development sign-in by email alone; it does not exist in production. */
export const dev = publicProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/auth/dev",
      summary: "Sign in by email alone (not in production)",
      tags: ["Auth"],
      protect: false,
      example: { request: { email: "jiwoo@daycarat.dev", nickname: "지우" } },
    },
  })
  .input(devInput)
  .output(sessionTokens)
  .mutation(async ({ ctx, input }) => {
    if (!ctx.config.auth.devSignInEnabled) throw new TRPCError({ code: "NOT_FOUND", message: "No such procedure" });
    const email = input.email.toLowerCase();
    return signIn(ctx.db, ctx.config, { provider: "DEV", providerUserId: email, email, nickname: input.nickname });
  });
