import { z } from "zod";

/** A calendar year, within the range of an episode's YYYY-MM-DD date. */
export const year = z.number().int().min(1).max(9999);

/** A month of the year, January being 1. */
export const month = z.number().int().min(1).max(12);
