import { z } from "zod";
import { Keyword } from "@daycarat/db";

/** A row id (UUID v7, created by the database). */
export const id = z.uuid();

/** Instants travel as ISO-8601 strings: JSON has no date type. */
export const isoDateTime = z.iso.datetime();

/** Calendar dates (an episode's day) travel as YYYY-MM-DD. */
export const calendarDate = z.iso.date();

export const toIsoDate = (date: Date): string => date.toISOString().slice(0, 10);

export { userText, competencyKeyword as keyword } from "@daycarat/domain";

/** An episode's keyword: one of the six, or UNSET. */
export const episodeKeyword = z.enum(Keyword);
