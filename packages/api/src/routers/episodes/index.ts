import { router } from "../../trpc.ts";
import { create } from "./create.ts";
import { deleteEpisode } from "./delete.ts";
import { get } from "./get.ts";
import { list } from "./list.ts";
import { recent } from "./recent.ts";
import { setKeyword } from "./set-keyword.ts";
import { update } from "./update.ts";

export const episodesRouter = router({ create, update, delete: deleteEpisode, get, recent, list, setKeyword });
