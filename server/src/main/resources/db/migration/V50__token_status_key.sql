-- Activation protocol version 2: the status key (derived from the exchange's key K, sealed like a
-- seed) with which a token asks for the authority's time and its own state and checks the answer.
-- Kept when the token is revoked or voided (the seed is not), so the token can still be told so.
ALTER TABLE authority_token ADD COLUMN status_key_sealed VARCHAR(300);
