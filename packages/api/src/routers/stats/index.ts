import { router } from "../../trpc.ts";
import { byActivityTag } from "./by-activity-tag.ts";
import { byKeyword } from "./by-keyword.ts";
import { byMonth } from "./by-month.ts";
import { counts } from "./counts.ts";
import { monthlyReport } from "./monthly-report.ts";

export const statsRouter = router({ byMonth, byActivityTag, byKeyword, counts, monthlyReport });
