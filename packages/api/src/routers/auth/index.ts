import { router } from "../../trpc.ts";
import { apple } from "./apple.ts";
import { dev } from "./dev.ts";
import { kakao } from "./kakao.ts";
import { refresh } from "./refresh.ts";
import { signOut } from "./sign-out.ts";

export const authRouter = router({ kakao, apple, dev, refresh, signOut });
