import type { OpenApiMeta } from "trpc-to-openapi";

// The words procedures use to describe themselves. They live apart from openapi.ts, which
// reads the whole router: procedures importing from there would close an import circle.

/** The areas of the API, in the order the documentation lists them, each with what it covers. */
export const API_TAGS = [
  { name: "Auth", description: "Sign in with Kakao, Apple or (outside production) an email; refresh and end a session." },
  { name: "Me", description: "Your profile, and deleting your account with everything in it." },
  { name: "Activity tags", description: "The activities (a club, a job, a project) your episodes belong to." },
  { name: "Episodes", description: "Dated records of what you did, each with one or more contents." },
  { name: "Stats", description: "Counts, a calendar and monthly reviews of your episodes." },
  { name: "Gems", description: "An episode refined into a SOARA write-up, and the AI's keyword and cover-letter sentences for it." },
  { name: "Notifications", description: "Your inbox: AI results, notices and reminders." },
  { name: "Preferences", description: "Which notifications you get, and your quiet hours." },
  { name: "Devices", description: "The devices that receive your pushes." },
  { name: "Notices", description: "Announcements to every user; admins write, schedule and cancel them." },
  { name: "Admin", description: "Operations for administrators." },
] as const;

export type ApiTag = (typeof API_TAGS)[number]["name"];

/** An operation's sample request (body or query) and successful response, shown in the documentation. */
export interface OperationExample {
  request?: Record<string, unknown>;
  response?: unknown;
}

/** Refusals some procedures answer besides the ones every operation lists (400, 401, 403, 404, 500). */
export type ListedRefusal = "CONFLICT" | "TOO_MANY_REQUESTS";

/**
 * Procedure metadata: `openapi` says where a procedure is also served as REST (trpc-to-openapi);
 * `protect: true` marks the ones that need a bearer token, and `refusals` the further error
 * codes it can answer, so that the document lists them.
 */
export type ApiMeta = OpenApiMeta<{ openapi?: { tags?: ApiTag[]; example?: OperationExample; refusals?: ListedRefusal[] } }>;
