-- AlterTable
ALTER TABLE "DispatcherLease" ADD COLUMN     "epoch" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "gridAddress" TEXT;

-- CreateIndex
CREATE INDEX "GridCommand_finishedAt_idx" ON "GridCommand"("finishedAt");
