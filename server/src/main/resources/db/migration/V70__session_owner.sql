-- Who is logged in to each session, and from where, so that a person can see and end their
-- sessions and a lock of their login ends every one of them (io.kagi.session.UserSessions).
ALTER TABLE http_session ADD COLUMN owner VARCHAR(200);           -- <security context attribute>:<login ID>, null while anonymous
ALTER TABLE http_session ADD COLUMN client_address VARCHAR(64);   -- of the last request that changed the session (the login)
ALTER TABLE http_session ADD COLUMN user_agent VARCHAR(200);      -- its User-Agent, cut to 200 characters

CREATE INDEX http_session_owner ON http_session (owner);
