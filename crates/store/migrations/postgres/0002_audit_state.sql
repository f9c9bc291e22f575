-- SQLite's version 6: every audit entry records digests of the state its
-- write left, covered by its hash (see migrations/sqlite/0006_audit_state.sql).
ALTER TABLE audit ADD COLUMN state TEXT COLLATE "C";
