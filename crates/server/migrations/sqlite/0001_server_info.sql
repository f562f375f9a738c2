-- Facts about this server instance. Later migrations add teams, households, visits and events.
CREATE TABLE server_info (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
INSERT INTO server_info (key, value) VALUES ('schema', 'doorstep');
