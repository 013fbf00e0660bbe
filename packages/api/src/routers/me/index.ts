import { router } from "../../trpc.ts";
import { deleteMe } from "./delete.ts";
import { get } from "./get.ts";
import { update } from "./update.ts";

export const meRouter = router({ get, update, delete: deleteMe });
