-- Relying-party management in the console (issue 19): suspension and API secret rotation with a
-- grace period. Only SHA-256 hashes of API secrets are kept ("sha256:<hex>"), never a secret.
--   suspended_at               when the service was suspended; NULL = in service. A suspended service's
--                              API answers 403 and its pending tokens were voided at suspension.
--   api_secret_changed_at      when the current secret was issued (NULL = never or before V90);
--   api_secret_version         one more at each issue or rotation: what a confirm screen compares.
--   previous_api_secret_hash   the secret replaced by the last rotation, accepted until
--   previous_api_secret_until  (exclusive), then never again.
ALTER TABLE authority_service ADD COLUMN suspended_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE authority_service ADD COLUMN api_secret_changed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE authority_service ADD COLUMN previous_api_secret_hash VARCHAR(100);
ALTER TABLE authority_service ADD COLUMN previous_api_secret_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE authority_service ADD COLUMN api_secret_version INT NOT NULL DEFAULT 0;
UPDATE authority_service SET api_secret_version = 1 WHERE api_secret_hash IS NOT NULL;
