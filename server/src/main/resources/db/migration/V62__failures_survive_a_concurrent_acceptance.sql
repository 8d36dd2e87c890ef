-- When the last wrong one-time password was counted (issue 17, parallel guesses): an accepted code
-- resets the failure counter only when every counted failure is older than that code's validity,
-- so a right code among a burst of guesses does not give the burst a second set of tries.
ALTER TABLE authority_token ADD COLUMN last_failed_at TIMESTAMP WITH TIME ZONE;
