-- One-time links: the first-run setup code, invites to join a team, password resets. Only
-- a hash of the code is kept; a link works once (used_at) and until expires_at.
CREATE TABLE invites (
    code_hash    TEXT PRIMARY KEY NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('setup', 'invite', 'reset')),
    -- NULL for the setup code (there is no team yet).
    team_id      TEXT REFERENCES teams (id),
    role         TEXT CHECK (role IN ('volunteer', 'coordinator', 'admin')),
    display_name TEXT,
    -- The account a reset is for.
    user_id      TEXT REFERENCES users (id),
    created_by   TEXT REFERENCES users (id),
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    used_at      BIGINT
);
CREATE INDEX invites_by_team ON invites (team_id);
