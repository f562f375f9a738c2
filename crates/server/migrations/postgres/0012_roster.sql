-- The team's roster people and partner units are records too (crates/core/src/roster.rs,
-- units.rs): the kind check takes them.
ALTER TABLE records DROP CONSTRAINT records_kind_check;
ALTER TABLE records ADD CONSTRAINT records_kind_check
    CHECK (kind IN ('household', 'visit', 'event', 'person', 'unit'));
-- Whether the server has made the roster people and units of the team's records from before
-- the roster (crates/server/src/roster.rs), once.
ALTER TABLE teams ADD COLUMN roster_filled BIGINT NOT NULL DEFAULT 0;
