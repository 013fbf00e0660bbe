import { z } from "zod";
import { id, isoDateTime } from "../../schemas/common.ts";
import { authedProcedure } from "../../trpc.ts";
import { pushToken } from "./device.ts";

const platform = z.enum(["IOS", "ANDROID", "WEB"]);

export const registerDeviceInput = z.object({ token: pushToken, platform });

/**
 * Registers the caller's device for push, or refreshes it. A token is one device's: if another
 * user registered it, the device changed hands (or accounts), so it moves to the caller and the
 * previous user's pushes stop reaching it. Registering again also revives a token FCM had
 * reported invalid, since the app just proved it is in use.
 */
export const register = authedProcedure
  .input(registerDeviceInput)
  .output(z.object({ id, platform, lastSeenAt: isoDateTime }))
  .mutation(async ({ ctx, input }) => {
    const owner = { userId: ctx.user.userId, platform: input.platform };
    // An upsert on the unique token runs as one INSERT … ON CONFLICT, so two registrations cannot collide.
    const device = await ctx.db.device.upsert({
      where: { token: input.token },
      create: { ...owner, token: input.token },
      update: { ...owner, lastSeenAt: new Date(), invalidSince: null },
      select: { id: true, platform: true, lastSeenAt: true },
    });
    return { ...device, lastSeenAt: device.lastSeenAt.toISOString() };
  });
