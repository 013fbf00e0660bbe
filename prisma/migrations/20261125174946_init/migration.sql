-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');

-- CreateEnum
CREATE TYPE "AuthProvider" AS ENUM ('KAKAO', 'APPLE', 'DEV');

-- CreateEnum
CREATE TYPE "EpisodeState" AS ENUM ('DRAFT', 'FINALIZED');

-- CreateEnum
CREATE TYPE "Keyword" AS ENUM ('UNSET', 'COMMUNICATION', 'PROBLEM_SOLVING', 'CREATIVITY', 'CHALLENGE', 'EXPERTISE', 'EXECUTION');

-- CreateEnum
CREATE TYPE "ContentType" AS ENUM ('LESSONS_LEARNED', 'REGRETS', 'FREE', 'IMPROVEMENTS');

-- CreateEnum
CREATE TYPE "AnalysisStatus" AS ENUM ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "NoticeSource" AS ENUM ('API', 'SLACK');

-- CreateEnum
CREATE TYPE "NoticeStatus" AS ENUM ('SCHEDULED', 'SENDING', 'SENT', 'CANCELED', 'FAILED');

-- CreateEnum
CREATE TYPE "Platform" AS ENUM ('IOS', 'ANDROID', 'WEB');

-- CreateEnum
CREATE TYPE "NotificationCategory" AS ENUM ('AI_RESULT', 'NOTICE', 'REMINDER');

-- CreateEnum
CREATE TYPE "NotificationType" AS ENUM ('ANALYSIS_SUCCEEDED', 'ANALYSIS_FAILED', 'NOTICE', 'WEEKLY_REMINDER', 'DRAFT_REMINDER');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'DEFERRED', 'SENT', 'LOGGED', 'SKIPPED', 'FAILED');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" VARCHAR(320),
    "nickname" VARCHAR(30) NOT NULL,
    "profileImageUrl" VARCHAR(2048),
    "jobTitle" VARCHAR(50),
    "strengths" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "pushAllowed" BOOLEAN NOT NULL DEFAULT false,
    "role" "Role" NOT NULL DEFAULT 'USER',
    "timeZone" VARCHAR(64) NOT NULL DEFAULT 'Asia/Seoul',
    "onboardedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identities" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "provider" "AuthProvider" NOT NULL,
    "providerUserId" VARCHAR(255) NOT NULL,
    "email" VARCHAR(320),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "identities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "familyId" UUID NOT NULL,
    "tokenHash" VARCHAR(64) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "rotatedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "userAgent" VARCHAR(512),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "activity_tags" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "searchJamo" VARCHAR(200) NOT NULL,
    "searchInitials" VARCHAR(50) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "activity_tags_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "episodes" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "activityTagId" UUID NOT NULL,
    "title" VARCHAR(100) NOT NULL,
    "date" DATE NOT NULL,
    "state" "EpisodeState" NOT NULL DEFAULT 'DRAFT',
    "keyword" "Keyword" NOT NULL DEFAULT 'UNSET',
    "keywordChosenByUser" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "episodes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "episode_contents" (
    "id" UUID NOT NULL,
    "episodeId" UUID NOT NULL,
    "position" SMALLINT NOT NULL,
    "type" "ContentType" NOT NULL,
    "content" TEXT NOT NULL,

    CONSTRAINT "episode_contents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gems" (
    "id" UUID NOT NULL,
    "episodeId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "situation" TEXT,
    "objective" TEXT,
    "action" TEXT,
    "result" TEXT,
    "aftermath" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "submittedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "gems_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "analyses" (
    "id" UUID NOT NULL,
    "gemId" UUID,
    "userId" UUID NOT NULL,
    "gemVersion" INTEGER NOT NULL,
    "status" "AnalysisStatus" NOT NULL DEFAULT 'PENDING',
    "keyword" "Keyword",
    "sentences" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "model" VARCHAR(100),
    "promptVersion" VARCHAR(32),
    "promptTokens" INTEGER,
    "completionTokens" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "attemptLog" JSONB NOT NULL DEFAULT '[]',
    "failureReason" VARCHAR(500),
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "analyses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notices" (
    "id" UUID NOT NULL,
    "title" VARCHAR(100) NOT NULL,
    "body" TEXT NOT NULL,
    "authorId" UUID,
    "authorSlackUserId" VARCHAR(32),
    "source" "NoticeSource" NOT NULL DEFAULT 'API',
    "push" BOOLEAN NOT NULL DEFAULT true,
    "status" "NoticeStatus" NOT NULL DEFAULT 'SCHEDULED',
    "scheduledAt" TIMESTAMPTZ(3),
    "sentAt" TIMESTAMPTZ(3),
    "canceledAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "devices" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "token" VARCHAR(4096) NOT NULL,
    "platform" "Platform" NOT NULL,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "invalidSince" TIMESTAMPTZ(3),
    "topicSubscribedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "devices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "type" "NotificationType" NOT NULL,
    "category" "NotificationCategory" NOT NULL,
    "title" VARCHAR(100) NOT NULL,
    "body" VARCHAR(1000) NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "dedupeKey" VARCHAR(200) NOT NULL,
    "readAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_deliveries" (
    "id" UUID NOT NULL,
    "notificationId" UUID NOT NULL,
    "deviceId" UUID NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "transport" VARCHAR(16) NOT NULL,
    "providerMessageId" VARCHAR(255),
    "errorCode" VARCHAR(100),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "deferredUntil" TIMESTAMPTZ(3),
    "sentAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_preferences" (
    "userId" UUID NOT NULL,
    "aiResults" BOOLEAN NOT NULL DEFAULT true,
    "notices" BOOLEAN NOT NULL DEFAULT true,
    "reminders" BOOLEAN NOT NULL DEFAULT true,
    "quietHoursEnabled" BOOLEAN NOT NULL DEFAULT true,
    "quietHoursStart" SMALLINT NOT NULL DEFAULT 1320,
    "quietHoursEnd" SMALLINT NOT NULL DEFAULT 480,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("userId")
);

-- CreateIndex
CREATE INDEX "users_email_idx" ON "users"("email");

-- CreateIndex
CREATE INDEX "identities_userId_idx" ON "identities"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "identities_provider_providerUserId_key" ON "identities"("provider", "providerUserId");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_tokenHash_key" ON "sessions"("tokenHash");

-- CreateIndex
CREATE INDEX "sessions_familyId_idx" ON "sessions"("familyId");

-- CreateIndex
CREATE INDEX "sessions_userId_idx" ON "sessions"("userId");

-- CreateIndex
CREATE INDEX "sessions_expiresAt_idx" ON "sessions"("expiresAt");

-- CreateIndex
CREATE INDEX "activity_tags_searchJamo_idx" ON "activity_tags" USING GIN ("searchJamo" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "activity_tags_searchInitials_idx" ON "activity_tags" USING GIN ("searchInitials" gin_trgm_ops);

-- CreateIndex
CREATE UNIQUE INDEX "activity_tags_userId_name_key" ON "activity_tags"("userId", "name");

-- CreateIndex
CREATE INDEX "episodes_userId_date_id_idx" ON "episodes"("userId", "date" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "episodes_userId_createdAt_idx" ON "episodes"("userId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "episodes_userId_activityTagId_idx" ON "episodes"("userId", "activityTagId");

-- CreateIndex
CREATE INDEX "episodes_userId_keyword_idx" ON "episodes"("userId", "keyword");

-- CreateIndex
CREATE INDEX "episodes_userId_state_updatedAt_idx" ON "episodes"("userId", "state", "updatedAt");

-- CreateIndex
CREATE INDEX "episodes_title_idx" ON "episodes" USING GIN ("title" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "episode_contents_content_idx" ON "episode_contents" USING GIN ("content" gin_trgm_ops);

-- CreateIndex
CREATE UNIQUE INDEX "episode_contents_episodeId_position_key" ON "episode_contents"("episodeId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "gems_episodeId_key" ON "gems"("episodeId");

-- CreateIndex
CREATE INDEX "gems_userId_submittedAt_idx" ON "gems"("userId", "submittedAt");

-- CreateIndex
CREATE INDEX "analyses_gemId_gemVersion_idx" ON "analyses"("gemId", "gemVersion");

-- CreateIndex
CREATE INDEX "analyses_userId_createdAt_idx" ON "analyses"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "notices_status_scheduledAt_idx" ON "notices"("status", "scheduledAt");

-- CreateIndex
CREATE INDEX "notices_sentAt_idx" ON "notices"("sentAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "devices_token_key" ON "devices"("token");

-- CreateIndex
CREATE INDEX "devices_userId_idx" ON "devices"("userId");

-- CreateIndex
CREATE INDEX "notifications_userId_createdAt_id_idx" ON "notifications"("userId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "notifications_userId_readAt_idx" ON "notifications"("userId", "readAt");

-- CreateIndex
CREATE INDEX "notifications_createdAt_idx" ON "notifications"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "notifications_userId_dedupeKey_key" ON "notifications"("userId", "dedupeKey");

-- CreateIndex
CREATE INDEX "notification_deliveries_deviceId_idx" ON "notification_deliveries"("deviceId");

-- CreateIndex
CREATE INDEX "notification_deliveries_status_deferredUntil_idx" ON "notification_deliveries"("status", "deferredUntil");

-- CreateIndex
CREATE UNIQUE INDEX "notification_deliveries_notificationId_deviceId_key" ON "notification_deliveries"("notificationId", "deviceId");

-- AddForeignKey
ALTER TABLE "identities" ADD CONSTRAINT "identities_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "activity_tags" ADD CONSTRAINT "activity_tags_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "episodes" ADD CONSTRAINT "episodes_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "episodes" ADD CONSTRAINT "episodes_activityTagId_fkey" FOREIGN KEY ("activityTagId") REFERENCES "activity_tags"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "episode_contents" ADD CONSTRAINT "episode_contents_episodeId_fkey" FOREIGN KEY ("episodeId") REFERENCES "episodes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gems" ADD CONSTRAINT "gems_episodeId_fkey" FOREIGN KEY ("episodeId") REFERENCES "episodes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gems" ADD CONSTRAINT "gems_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analyses" ADD CONSTRAINT "analyses_gemId_fkey" FOREIGN KEY ("gemId") REFERENCES "gems"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analyses" ADD CONSTRAINT "analyses_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notices" ADD CONSTRAINT "notices_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "devices" ADD CONSTRAINT "devices_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_notificationId_fkey" FOREIGN KEY ("notificationId") REFERENCES "notifications"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
