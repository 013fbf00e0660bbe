import { router } from "../../trpc.ts";
import { deleteActivityTag } from "./delete.ts";
import { list } from "./list.ts";
import { rename } from "./rename.ts";
import { search } from "./search.ts";

export const activityTagsRouter = router({ list, rename, delete: deleteActivityTag, search });
