import { router } from "../../trpc.ts";
import { queues } from "./queues.ts";

export const adminRouter = router({ queues });
