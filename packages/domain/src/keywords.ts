import { z } from "zod";
import { Keyword } from "@daycarat/db";

/** The six competency keywords a user or the AI can pick: every keyword but UNSET. */
export const competencyKeyword = z.enum(Keyword).exclude([Keyword.UNSET]);
