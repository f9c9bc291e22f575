-- Chronicle's embedded store: the lifecycle of accounts and API tokens.

-- An account is enabled (logs in, acts), disabled (neither, until enabled
-- again) or removed (kept, so that the audit log names one account by its
-- name, which no new account may take). The epoch changes whenever the
-- account's sessions must end: disabled, enabled, removed, password changed.
ALTER TABLE users ADD COLUMN state TEXT NOT NULL DEFAULT 'enabled' CHECK (state IN ('enabled', 'disabled', 'removed'));
ALTER TABLE users ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;

-- Tokens get a number to be named by (listed, revoked), an expiry and a
-- revocation time. Tokens made before expire 90 days after they were made.
ALTER TABLE api_tokens ADD COLUMN id INTEGER;
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN revoked_at TEXT;
UPDATE api_tokens SET
    id = (SELECT COUNT(*) FROM api_tokens t
          WHERE t.created_at < api_tokens.created_at OR (t.created_at = api_tokens.created_at AND t.hash <= api_tokens.hash)),
    expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+90 days');
CREATE UNIQUE INDEX api_tokens_id ON api_tokens(id);
CREATE INDEX api_tokens_user ON api_tokens("user");
