-- HTTP sessions in one row each (io.kagi.session), replacing Spring Session JDBC's two tables: a
-- request reads one row and writes it at most once. Sessions of the old tables end (users log in again).
DROP TABLE spring_session_attributes;
DROP TABLE spring_session;

CREATE TABLE http_session (
    session_id       VARCHAR(64) NOT NULL,
    created_at       BIGINT      NOT NULL,  -- epoch milliseconds
    last_access_at   BIGINT      NOT NULL,
    max_idle_seconds INT         NOT NULL,
    expires_at       BIGINT      NOT NULL,  -- last_access_at + max_idle_seconds, for the clean-up
    version          BIGINT      NOT NULL,  -- raised by every write of attributes; concurrent writers merge
    attributes       BYTEA       NOT NULL,  -- the attribute map, Java-serialized
    CONSTRAINT http_session_pk PRIMARY KEY (session_id)
);

CREATE INDEX http_session_expiry ON http_session (expires_at);
