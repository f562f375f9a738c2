-- A device signed out by its own user (POST /logout): its token ends for every route, push
-- included. A device revoked by a coordinator (revoked_at only) may still push what it saved.
ALTER TABLE devices ADD COLUMN ended_at INTEGER;

-- Stored records that no longer decode, moved aside by `doorstep-server check --quarantine`
-- (every answer already skips them); kept for a person to look at, never served.
CREATE TABLE quarantined_records (
    team_id TEXT NOT NULL,
    id      TEXT NOT NULL,
    kind    TEXT NOT NULL,
    doc     TEXT NOT NULL,
    at      BIGINT NOT NULL,
    PRIMARY KEY (team_id, id)
);
