import { router } from "../../trpc.ts";
import { register } from "./register.ts";
import { unregister } from "./unregister.ts";

export const devicesRouter = router({ register, unregister });
