import { z } from "zod";
import { Platform } from "@daycarat/db";
import { requestDeviceSubscription } from "@daycarat/domain";
import { id, isoDateTime } from "../../schemas/common.ts";
import { authedProcedure } from "../../trpc.ts";
import { pushToken } from "./device.ts";

const platform = z.enum(Platform);

export const registerDeviceInput = z.object({ token: pushToken, platform });

/**
 * Registers the caller's device for push, or refreshes it. A token is one device's: if another
 * user registered it, the device changed hands (or accounts), so it moves to the caller and the
 * previous user's pushes stop reaching it. Registering again also revives a token FCM had
 * reported invalid, since the app just proved it is in use. A device not yet on the notices
 * topic gets a `push.topic-subscribe` job in the same transaction, so the worker subscribes it
 * at once rather than at the next sync.
 */
export const register = authedProcedure
  .meta({ openapi: { method: "POST", path: "/devices", summary: "Register this device for pushes", tags: ["Devices"], protect: true } })
  .input(registerDeviceInput)
  .output(z.object({ id, platform, lastSeenAt: isoDateTime }))
  .mutation(async ({ ctx, input }) => {
    const owner = { userId: ctx.user.userId, platform: input.platform };
    const device = await ctx.db.$transaction(async (tx) => {
      // The token is in use again: a pending unsubscription from an earlier removal must not win.
      await tx.topicUnsubscription.deleteMany({ where: { token: input.token } });
      // An upsert on the unique token runs as one INSERT … ON CONFLICT, so two registrations cannot collide.
      const registered = await tx.device.upsert({
        where: { token: input.token },
        create: { ...owner, token: input.token },
        update: { ...owner, lastSeenAt: new Date(), invalidSince: null },
        select: { id: true, platform: true, lastSeenAt: true, topicSubscribedAt: true },
      });
      if (!registered.topicSubscribedAt) await requestDeviceSubscription(ctx.jobs, tx, registered.id);
      return registered;
    });
    return { id: device.id, platform: device.platform, lastSeenAt: device.lastSeenAt.toISOString() };
  });
