-- Which households a volunteer's phone holds (crates/core/src/sync/scope.rs): the
-- communities a coordinator gave the member, as a JSON array; NULL or empty: all of them.
ALTER TABLE users ADD COLUMN communities TEXT;
-- A household's community as shown, written with it (records.rs store_all). Rows from
-- before this migration are filled at start with the window's columns: setting updated_at
-- to NULL makes db::fill_record_facts read them again.
ALTER TABLE records ADD COLUMN community TEXT;
UPDATE records SET updated_at = NULL WHERE kind = 'household';
CREATE INDEX records_scope ON records (team_id, kind, community, created_by, id);
