export { deleteExpiredData, READ_NOTIFICATION_RETENTION_DAYS, type HousekeepingResult } from "./housekeeping.ts";
