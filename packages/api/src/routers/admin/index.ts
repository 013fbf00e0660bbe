import { router } from "../../trpc.ts";
import { aiUsage } from "./ai-usage.ts";
import { queues } from "./queues.ts";

export const adminRouter = router({ queues, aiUsage });
