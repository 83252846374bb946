-- CreateIndex
CREATE INDEX "RunFile_runId_status_path_idx" ON "RunFile"("runId", "status", "path");
