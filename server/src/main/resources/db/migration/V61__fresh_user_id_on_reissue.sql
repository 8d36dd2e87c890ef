-- A re-issue gives the account a fresh ユーザID (issue 17): one intercepted トークン発行のお知らせ then
-- concerns one token only, not every later one. The IDs an account held before are kept here: never
-- given again in the service, and still found by Tokens.accountOf (a customer may quote an old one).
CREATE TABLE authority_retired_user_id (
    service_fk  BIGINT       NOT NULL REFERENCES authority_service (id),
    user_id     CHAR(6)      NOT NULL,
    account_fk  BIGINT       NOT NULL REFERENCES authority_account (id),
    retired_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT authority_retired_user_id_pk PRIMARY KEY (service_fk, user_id)
);
CREATE INDEX authority_retired_user_id_account_ix ON authority_retired_user_id (account_fk);
