import { z } from "zod";

/** An FCM registration token, as the device's push SDK gave it. */
export const pushToken = z
  .string()
  .min(1, "must not be empty")
  .max(4096, "must be at most 4096 characters")
  .regex(/^\S+$/, "must be a push token, without spaces");
