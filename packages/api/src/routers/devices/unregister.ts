import { z } from "zod";
import { removeDevices } from "@daycarat/domain";
import { deviceNotFound } from "../../errors.ts";
import { authedProcedure } from "../../trpc.ts";
import { pushToken } from "./device.ts";

export const unregisterDeviceInput = z.object({ token: pushToken });

/** Stops pushes to one of the caller's devices, e.g. on sign-out; the worker takes it off the notices topic. */
export const unregister = authedProcedure
  .meta({ openapi: { method: "POST", path: "/devices/unregister", summary: "Stop pushes to a device", tags: ["Devices"], protect: true } })
  .input(unregisterDeviceInput)
  .output(z.object({ deleted: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    const count = await ctx.db.$transaction((tx) => removeDevices(ctx.jobs, tx, { token: input.token, userId: ctx.user.userId }));
    if (count === 0) throw deviceNotFound();
    return { deleted: true as const };
  });
