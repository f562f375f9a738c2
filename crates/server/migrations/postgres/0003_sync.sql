-- Sync (docs/sync-protocol.md): each team's records merged field by field, the team's change
-- counter, each device's last applied mutation, and the mutations the server refused.
ALTER TABLE teams ADD COLUMN clock BIGINT NOT NULL DEFAULT 0;
-- NULL until the device's first push.
ALTER TABLE devices ADD COLUMN last_seq BIGINT;

CREATE TABLE records (
    team_id     TEXT NOT NULL REFERENCES teams (id),
    id          TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('household', 'visit', 'event')),
    rev         BIGINT NOT NULL,
    deleted     BIGINT NOT NULL,
    created_by  TEXT NOT NULL,
    -- Visits and events: the day they happened (YYYY-MM-DD), for lists and exports.
    day         TEXT,
    received_at BIGINT NOT NULL,
    -- The merged record (crates/core/src/sync/merge.rs `Doc`) as JSON.
    doc         TEXT NOT NULL,
    PRIMARY KEY (team_id, id)
);
CREATE INDEX records_by_rev ON records (team_id, rev);
CREATE INDEX records_by_day ON records (team_id, kind, day);

CREATE TABLE rejections (
    device_id TEXT NOT NULL REFERENCES devices (id),
    seq       BIGINT NOT NULL,
    code      TEXT NOT NULL,
    message   TEXT NOT NULL,
    at        BIGINT NOT NULL,
    PRIMARY KEY (device_id, seq)
);
