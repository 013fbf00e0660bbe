-- CreateTable
-- UNLOGGED (Prisma has no word for it): counters change on every sign-in and are worthless after
-- a crash, so they skip the write-ahead log; Postgres empties the table after a crash.
CREATE UNLOGGED TABLE "rate_limit_counters" (
    "key" VARCHAR(200) NOT NULL,
    "hits" INTEGER NOT NULL,
    "resetsAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "rate_limit_counters_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "rate_limit_counters_resetsAt_idx" ON "rate_limit_counters"("resetsAt");
