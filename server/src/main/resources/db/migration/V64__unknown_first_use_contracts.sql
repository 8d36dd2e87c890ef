-- ログインID取得 with a 代表口座 that has no contract (issue 17, enumeration): wrong attempts are counted
-- and lock like a real contract's, so the answers (and their timing) do not tell which contracts
-- exist. The contract is kept only as a keyed digest (HMAC-SHA-256 under a key derived from the
-- active key-encryption key) of "branch/type/number", never in clear (a plain hash of ten digits is
-- undone in seconds); rows older than 30 days are forgotten.
CREATE TABLE bizweb_unknown_first_use (
    contract_hash   VARCHAR(32)  NOT NULL PRIMARY KEY,
    failed_count    SMALLINT     NOT NULL DEFAULT 0,
    locked_at       TIMESTAMP WITH TIME ZONE,
    last_failed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX bizweb_unknown_first_use_failed_ix ON bizweb_unknown_first_use (last_failed_at);
