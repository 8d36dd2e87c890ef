-- Who created a user (利用者管理 → 利用者追加); NULL for a master made at first use (issue 17, insider
-- administrator): an administrator and an identity they created never form a requester/approver pair.
ALTER TABLE bizweb_user ADD COLUMN created_by BIGINT;
ALTER TABLE bizweb_user ADD CONSTRAINT bizweb_user_created_by_fk FOREIGN KEY (created_by) REFERENCES bizweb_user (id);
