-- Each team's digest of its records (crates/core/src/sync/digest.rs): how many, and the XOR
-- of each record's mix, kept current by every push so a pull can send it. NULL until the
-- first push after this migration computes it from the records.
ALTER TABLE teams ADD COLUMN digest_count BIGINT;
ALTER TABLE teams ADD COLUMN digest_xor BIGINT;
