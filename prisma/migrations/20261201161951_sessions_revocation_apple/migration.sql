-- AlterTable
ALTER TABLE "identities" ADD COLUMN     "providerClientId" VARCHAR(255),
ADD COLUMN     "providerRefreshToken" VARCHAR(1024);

-- AlterTable (existing sign-ins end 90 days after they began)
ALTER TABLE "sessions" ADD COLUMN     "familyExpiresAt" TIMESTAMPTZ(3);
UPDATE "sessions" AS s SET "familyExpiresAt" = GREATEST(s."expiresAt",
  (SELECT min(f."createdAt") FROM "sessions" AS f WHERE f."familyId" = s."familyId") + interval '90 days');
ALTER TABLE "sessions" ALTER COLUMN "familyExpiresAt" SET NOT NULL;

-- CreateTable
CREATE TABLE "access_revocations" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "familyId" UUID,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "access_revocations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "access_revocations_expiresAt_idx" ON "access_revocations"("expiresAt");
