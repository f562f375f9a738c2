-- Teams, their users, and one row per signed-in device (its token is stored hashed).
CREATE TABLE teams (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY NOT NULL,
    team_id       TEXT NOT NULL REFERENCES teams (id),
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('volunteer', 'coordinator', 'admin')),
    password_hash TEXT NOT NULL,
    disabled      BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);

CREATE TABLE devices (
    id           TEXT PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id),
    team_id      TEXT NOT NULL REFERENCES teams (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    -- Changes waiting on the phone, as it last reported them.
    unsynced     BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX devices_by_team ON devices (team_id);
