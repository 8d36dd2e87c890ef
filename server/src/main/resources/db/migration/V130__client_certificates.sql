-- 電子証明書 (io.kagi.certificates): every client certificate the bank's CA signed. Login checks the
-- presented certificate against this table (its serial, owner and revocation), not only its dates;
-- the CRL is made from it. One public key is certified once (a repeated request issues nothing new).
CREATE TABLE client_certificate (
    serial             VARCHAR(40)  NOT NULL PRIMARY KEY,   -- hexadecimal, as in the certificate
    user_id            BIGINT       NOT NULL,               -- bizweb_user.id (no foreign key: a record outlives its user)
    company_id         BIGINT       NOT NULL,
    login_id           VARCHAR(12)  NOT NULL,
    subject            VARCHAR(500) NOT NULL,
    public_key_sha256  VARCHAR(64)  NOT NULL,
    not_before         TIMESTAMP WITH TIME ZONE NOT NULL,
    not_after          TIMESTAMP WITH TIME ZONE NOT NULL,
    certificate        BYTEA        NOT NULL,               -- DER
    issued_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    renews_serial      VARCHAR(40),
    revoked_at         TIMESTAMP WITH TIME ZONE,
    revocation_reason  VARCHAR(30),
    revoked_by         VARCHAR(100),
    CONSTRAINT client_certificate_key_uq UNIQUE (public_key_sha256),
    CONSTRAINT client_certificate_reason_ck CHECK (revocation_reason IS NULL
        OR revocation_reason IN ('KEY_COMPROMISE', 'SUPERSEDED', 'CESSATION_OF_OPERATION'))
);
CREATE INDEX client_certificate_user_ix ON client_certificate (user_id);
CREATE INDEX client_certificate_company_ix ON client_certificate (company_id);

-- Per user, the ways in the master user allows: PASSWORD (ID and password), CERTIFICATE, or BOTH.
ALTER TABLE bizweb_user ADD COLUMN login_methods VARCHAR(12) NOT NULL DEFAULT 'BOTH';
ALTER TABLE bizweb_user ADD CONSTRAINT bizweb_user_login_methods_ck CHECK (login_methods IN ('PASSWORD', 'CERTIFICATE', 'BOTH'));
