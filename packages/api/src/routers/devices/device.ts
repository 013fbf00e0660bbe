import { z } from "zod";

/**
 * An FCM registration token, as the device's push SDK gave it (about 160 characters today).
 * The cap keeps a token within what the unique index on tokens can hold.
 */
export const pushToken = z
  .string()
  .min(1, "must not be empty")
  .max(1024, "must be at most 1024 characters")
  .regex(/^\S+$/, "must be a push token, without spaces");
