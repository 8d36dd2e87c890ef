-- What a confirm screen showed, held until the execute step takes it (io.kagi.confirmation.OneTimeForms):
-- the execute step deletes the row in the transaction of the change, so of any number of
-- submissions of one form exactly one finds it, and what it carries out is what was confirmed.
CREATE TABLE one_time_form (
    token_hash  VARCHAR(64)   NOT NULL,  -- SHA-256 of the form token, hex; the token itself is only in the page
    owner       VARCHAR(100)  NOT NULL,  -- whose form: "bizweb:<user id>", "console:<operator id>"
    step        VARCHAR(40)   NOT NULL,  -- which confirm screen
    payload     VARCHAR(4000) NOT NULL,  -- the confirmed operation, JSON
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT one_time_form_pk PRIMARY KEY (token_hash)
);

CREATE INDEX one_time_form_expiry ON one_time_form (expires_at);
