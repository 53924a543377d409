-- The partner's calls are read newest first by id ((partner_id, id)); (partner_id,
-- created_at) served no query and cost every logged call an index insert
-- (docs/request-log.md#what-it-costs).
DROP INDEX IF EXISTS "api_request_log_partner_id_created_at_idx";
