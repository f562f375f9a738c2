-- Each device's recovery key (docs/threat-model.md): 32 random bytes, base64url, given to the
-- phone once at sign-in to wrap its data key, and given back only to its own user signing in
-- again with their password on a phone that asks for it (a forgotten PIN, the lockout) — never
-- for a device a coordinator revoked. Cleared once given back.
ALTER TABLE devices ADD COLUMN recovery_key TEXT;
