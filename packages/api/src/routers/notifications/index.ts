import { router } from "../../trpc.ts";
import { list } from "./list.ts";
import { markAllRead } from "./mark-all-read.ts";
import { markRead } from "./mark-read.ts";
import { onNew } from "./on-new.ts";
import { unreadCount } from "./unread-count.ts";

export const notificationsRouter = router({ list, unreadCount, markRead, markAllRead, onNew });
