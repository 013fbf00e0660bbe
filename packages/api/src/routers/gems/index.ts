import { router } from "../../trpc.ts";
import { getAnalysis } from "./analysis.ts";
import { clipboard } from "./clipboard.ts";
import { deleteGem } from "./delete.ts";
import { get } from "./get.ts";
import { retryAnalysis } from "./retry-analysis.ts";
import { saveDraft } from "./save-draft.ts";
import { submit } from "./submit.ts";

export const gemsRouter = router({
  get,
  saveDraft,
  submit,
  delete: deleteGem,
  analysis: getAnalysis,
  retryAnalysis,
  clipboard,
});
