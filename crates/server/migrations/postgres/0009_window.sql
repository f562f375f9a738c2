-- What phones keep (crates/core/src/sync/window.rs). The team's window in days; NULL: the
-- default (120).
ALTER TABLE teams ADD COLUMN window_days BIGINT;
-- What the window's rule and digest read of a record without decoding it, written with it
-- (records.rs store_all); NULL in rows from before this migration until the server fills
-- them at start (db::fill_record_facts). updated_at -1: the stored record is unreadable.
ALTER TABLE records ADD COLUMN updated_at BIGINT;
ALTER TABLE records ADD COLUMN household_id TEXT;
ALTER TABLE records ADD COLUMN follow_up_open BIGINT NOT NULL DEFAULT 0;
-- Everything the window's scans read, in revision order: a pull from nothing, the latest visits
-- and the window's digest walk this index instead of the records (measured: 0.85 s a page
-- for 41,000 records without it, BENCHMARKS.md).
CREATE INDEX records_window ON records (team_id, rev, kind, day, household_id, follow_up_open,
    deleted, updated_at, id);
