-- A record deleted past the undo window has its content erased (doorstep_core::sync::erase);
-- the sweep looks only at deleted records not erased yet.
ALTER TABLE records ADD COLUMN erased BIGINT NOT NULL DEFAULT 0;
CREATE INDEX records_to_erase ON records (team_id) WHERE deleted = 1 AND erased = 0;
