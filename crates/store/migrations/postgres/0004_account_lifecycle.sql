-- Chronicle's server store: the lifecycle of accounts and API tokens (as
-- SQLite's 0007_account_lifecycle.sql).

ALTER TABLE users ADD COLUMN state TEXT COLLATE "C" NOT NULL DEFAULT 'enabled' CHECK (state IN ('enabled', 'disabled', 'removed'));
ALTER TABLE users ADD COLUMN epoch BIGINT NOT NULL DEFAULT 0;

ALTER TABLE api_tokens ADD COLUMN id BIGINT;
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT COLLATE "C";
ALTER TABLE api_tokens ADD COLUMN revoked_at TEXT COLLATE "C";
UPDATE api_tokens SET
    id = n.id,
    expires_at = to_char((api_tokens.created_at::timestamptz + interval '90 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
FROM (SELECT hash, row_number() OVER (ORDER BY created_at, hash) AS id FROM api_tokens) n
WHERE n.hash = api_tokens.hash;
CREATE UNIQUE INDEX api_tokens_id ON api_tokens(id);
CREATE INDEX api_tokens_user ON api_tokens("user");
