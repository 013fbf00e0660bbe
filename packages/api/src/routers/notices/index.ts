import { router } from "../../trpc.ts";
import { cancel } from "./cancel.ts";
import { create } from "./create.ts";
import { deleteNotice } from "./delete.ts";
import { get } from "./get.ts";
import { list } from "./list.ts";
import { listAll } from "./list-all.ts";

/** Users read published notices; admins write, schedule, cancel and delete them. */
export const noticesRouter = router({ list, get, create, cancel, delete: deleteNotice, listAll });
