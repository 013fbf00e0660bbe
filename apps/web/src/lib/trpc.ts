import { createDayCaratClient, type AppRouter } from "@daycarat/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { apiUrl } from "./config.ts";
import { sessionStore } from "./session.ts";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** The typed client: it refreshes the session once on UNAUTHORIZED and repeats the call, so nothing typed is lost. */
export const apiClient = createDayCaratClient({ url: apiUrl, tokens: sessionStore });
