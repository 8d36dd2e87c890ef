-- A company the bank has suspended (停止): its users' logins are refused as locked until it is resumed.
ALTER TABLE bizweb_company ADD COLUMN suspended_at TIMESTAMP WITH TIME ZONE;
