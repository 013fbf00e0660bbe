-- CreateTable
-- UNLOGGED (Prisma has no word for it): a position changes on every write of its user and is
-- read on the primary only, so it skips the write-ahead log (no second flush per write, nothing
-- replicated). After a crash Postgres empties it: for the seconds until the replicas replay past
-- the writes just before the crash, a user's reads may miss them.
CREATE UNLOGGED TABLE "user_write_positions" (
    "userId" UUID NOT NULL,
    "walPosition" BIGINT NOT NULL,

    CONSTRAINT "user_write_positions_pkey" PRIMARY KEY ("userId")
);
