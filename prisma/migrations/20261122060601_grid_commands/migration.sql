-- CreateEnum
CREATE TYPE "GridCommandState" AS ENUM ('open', 'succeeded', 'failed', 'abandoned');

-- CreateTable
CREATE TABLE "GridCommand" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "starId" TEXT NOT NULL,
    "runId" TEXT,
    "kind" TEXT NOT NULL,
    "state" "GridCommandState" NOT NULL DEFAULT 'open',
    "issuedBy" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deadline" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "result" JSONB,
    "error" TEXT,

    CONSTRAINT "GridCommand_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DispatcherLease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "acquiredAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DispatcherLease_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "GridCommand_state_idx" ON "GridCommand"("state");

-- CreateIndex
CREATE INDEX "GridCommand_runId_idx" ON "GridCommand"("runId");
