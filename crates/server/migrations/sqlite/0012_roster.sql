-- The team's roster people and partner units are records too (crates/core/src/roster.rs,
-- units.rs): the kind check takes them. SQLite cannot alter a check, so the table is made
-- again (https://www.sqlite.org/lang_altertable.html#otheralter), columns in their order.
CREATE TABLE records_new (
    team_id        TEXT NOT NULL REFERENCES teams (id),
    id             TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('household', 'visit', 'event', 'person', 'unit')),
    rev            INTEGER NOT NULL,
    deleted        INTEGER NOT NULL,
    created_by     TEXT NOT NULL,
    day            TEXT,
    received_at    INTEGER NOT NULL,
    doc            TEXT NOT NULL,
    erased         INTEGER NOT NULL DEFAULT 0,
    updated_at     INTEGER,
    household_id   TEXT,
    follow_up_open INTEGER NOT NULL DEFAULT 0,
    community      TEXT,
    PRIMARY KEY (team_id, id)
);
INSERT INTO records_new (team_id, id, kind, rev, deleted, created_by, day, received_at, doc,
                         erased, updated_at, household_id, follow_up_open, community)
    SELECT team_id, id, kind, rev, deleted, created_by, day, received_at, doc,
           erased, updated_at, household_id, follow_up_open, community
    FROM records;
DROP TABLE records;
ALTER TABLE records_new RENAME TO records;
CREATE INDEX records_by_rev ON records (team_id, rev);
CREATE INDEX records_by_day ON records (team_id, kind, day);
CREATE INDEX records_to_erase ON records (team_id) WHERE deleted = 1 AND erased = 0;
CREATE INDEX records_window ON records (team_id, rev, kind, day, household_id, follow_up_open,
    deleted, updated_at, id);
CREATE INDEX records_scope ON records (team_id, kind, community, created_by, id);
-- Whether the server has made the roster people and units of the team's records from before
-- the roster (crates/server/src/roster.rs), once.
ALTER TABLE teams ADD COLUMN roster_filled INTEGER NOT NULL DEFAULT 0;
