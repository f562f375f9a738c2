-- Who read what identified data, when and why (exports with names, rooms and phones).
-- Admins of the team read it; nothing here is ever updated or deleted by the app.
CREATE TABLE audit_log (
    id      TEXT PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES teams (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    at      BIGINT NOT NULL,
    action  TEXT NOT NULL,
    what    TEXT NOT NULL,
    reason  TEXT NOT NULL
);
CREATE INDEX audit_by_team ON audit_log (team_id, at);
