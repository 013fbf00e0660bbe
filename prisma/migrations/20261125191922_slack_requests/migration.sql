-- CreateTable
CREATE TABLE "slack_requests" (
    "signature" VARCHAR(100) NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slack_requests_pkey" PRIMARY KEY ("signature")
);

-- CreateIndex
CREATE INDEX "slack_requests_receivedAt_idx" ON "slack_requests"("receivedAt");
