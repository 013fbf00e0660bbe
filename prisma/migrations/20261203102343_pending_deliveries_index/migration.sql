-- DropIndex
DROP INDEX "notification_deliveries_status_deferredUntil_idx";

-- CreateIndex
CREATE INDEX "notification_deliveries_status_deferredUntil_idx" ON "notification_deliveries"("status", "deferredUntil") WHERE (status IN ('PENDING', 'DEFERRED'));
