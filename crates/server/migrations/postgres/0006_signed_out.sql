-- A device signed out by its own user (POST /logout): its token ends for every route, push
-- included. A device revoked by a coordinator (revoked_at only) may still push what it saved.
ALTER TABLE devices ADD COLUMN ended_at BIGINT;
