-- CreateIndex
CREATE INDEX "api_request_log_refused_by_code" ON "api_request_log"("code", "id") WHERE (code IS NOT NULL);

-- CreateIndex
CREATE INDEX "api_request_log_refused_by_time" ON "api_request_log"("created_at") WHERE (status >= 400);
