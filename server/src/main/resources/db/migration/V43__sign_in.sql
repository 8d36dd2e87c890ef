-- Sign-in (io.kagi.signin), shared by the portal and the console.

-- Wrong passwords typed with login IDs that do not exist, counted (and locked) like known ones so the
-- login page never tells which IDs exist. The ID is kept only as a keyed digest (HMAC-SHA-256 under a
-- key derived from the active key-encryption key): what was typed may be a password in the wrong field.
-- The old table held the typed text in clear; its counts are dropped with it.
DROP TABLE bizweb_unknown_login;

CREATE TABLE signin_unknown_login (
    realm              VARCHAR(16) NOT NULL,
    login_digest       VARCHAR(32) NOT NULL,
    failed_login_count SMALLINT    NOT NULL DEFAULT 0,
    login_locked_at    TIMESTAMP WITH TIME ZONE,
    last_failed_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (realm, login_digest)
);

CREATE INDEX signin_unknown_login_last_failed ON signin_unknown_login (last_failed_at);

-- The throttle of login attempts: one bucket an address ("a:<address>") and one a login ID
-- ("i:<realm>:<digest>"); each attempt takes a place with a compare-and-set on version before any
-- password is hashed; blocked_until is when the next attempt may come.
CREATE TABLE signin_throttle (
    bucket          VARCHAR(80) NOT NULL PRIMARY KEY,
    attempts        INTEGER     NOT NULL,
    last_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    blocked_until   TIMESTAMP WITH TIME ZONE NOT NULL,
    version         BIGINT      NOT NULL
);

CREATE INDEX signin_throttle_last_attempt ON signin_throttle (last_attempt_at);
