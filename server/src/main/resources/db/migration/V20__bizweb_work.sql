-- The portal's work that needs an OTP (issue 8): 振込先管理, 振込依頼 and 承認, 利用者管理.

-- 管理者ユーザ may hold the approval right (承認権限); the master always has it. A user made by the
-- master or an administrator gets an initial password and must change it at their first login.
ALTER TABLE bizweb_user ADD COLUMN approval_right BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE bizweb_user ADD COLUMN password_must_change BOOLEAN NOT NULL DEFAULT FALSE;

-- Payees are changed under optimistic locking (version) and deleted softly, so that the requests
-- that name them keep their history.
ALTER TABLE bizweb_payee ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bizweb_payee ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE bizweb_payee ADD COLUMN deleted_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE bizweb_payee ADD CONSTRAINT bizweb_payee_account_type_ck
    CHECK (account_type IN ('ORDINARY', 'CURRENT', 'SAVINGS'));

-- A transfer request (kind TRANSFER) is an approval request with the payee as it was when the request
-- was made (a copy: a later change of the payee does not change what the approver approves), the
-- amount in whole yen and the transfer date. RETURNED is 差戻し: the requester may edit and resubmit.
ALTER TABLE bizweb_approval_request DROP CONSTRAINT bizweb_approval_status_ck;
ALTER TABLE bizweb_approval_request ADD CONSTRAINT bizweb_approval_status_ck
    CHECK (status IN ('PENDING', 'APPROVED', 'RETURNED', 'REJECTED', 'WITHDRAWN'));
ALTER TABLE bizweb_approval_request ADD COLUMN payee_id BIGINT;
ALTER TABLE bizweb_approval_request ADD CONSTRAINT bizweb_approval_payee_fk FOREIGN KEY (payee_id) REFERENCES bizweb_payee (id);
ALTER TABLE bizweb_approval_request ADD COLUMN bank_code CHAR(4);
ALTER TABLE bizweb_approval_request ADD COLUMN branch_code CHAR(3);
ALTER TABLE bizweb_approval_request ADD COLUMN account_type VARCHAR(10);
ALTER TABLE bizweb_approval_request ADD COLUMN account_number CHAR(7);
ALTER TABLE bizweb_approval_request ADD COLUMN holder_name VARCHAR(60);
ALTER TABLE bizweb_approval_request ADD COLUMN amount BIGINT;
ALTER TABLE bizweb_approval_request ADD COLUMN transfer_date DATE;
ALTER TABLE bizweb_approval_request ADD COLUMN decided_by BIGINT;
ALTER TABLE bizweb_approval_request ADD CONSTRAINT bizweb_approval_decided_by_fk FOREIGN KEY (decided_by) REFERENCES bizweb_user (id);
ALTER TABLE bizweb_approval_request ADD COLUMN decision_comment VARCHAR(100);
ALTER TABLE bizweb_approval_request ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bizweb_approval_request ADD CONSTRAINT bizweb_approval_amount_ck CHECK (amount IS NULL OR amount > 0);
CREATE INDEX bizweb_approval_requester_ix ON bizweb_approval_request (requested_by, status);
CREATE INDEX bizweb_approval_company_ix ON bizweb_approval_request (company_id);
