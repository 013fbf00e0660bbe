-- AlterTable
ALTER TABLE "notices" ADD COLUMN     "failureReason" VARCHAR(500),
ADD COLUMN     "providerMessageId" VARCHAR(255),
ADD COLUMN     "pushTransport" VARCHAR(16);

-- AlterTable
ALTER TABLE "notifications" ADD COLUMN     "seq" BIGSERIAL NOT NULL;

-- CreateTable
CREATE TABLE "topic_unsubscriptions" (
    "token" VARCHAR(4096) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "topic_unsubscriptions_pkey" PRIMARY KEY ("token")
);

-- CreateIndex
CREATE UNIQUE INDEX "notifications_userId_seq_key" ON "notifications"("userId", "seq");
