export { deleteExpiredData, type HousekeepingResult } from "./housekeeping.ts";
