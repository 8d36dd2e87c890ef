-- Second-factor binding (issue 17): after a user's token was revoked, the user may issue a new one
-- on ELG016 only once an administrator of the company (利用者管理) or the bank (operator console)
-- allowed it again after that revocation. NULL: never allowed since.
ALTER TABLE bizweb_user ADD COLUMN token_reissue_allowed_at TIMESTAMP WITH TIME ZONE;
