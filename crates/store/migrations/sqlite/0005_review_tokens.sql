-- Chronicle's embedded store, version 5: analysts' corrections of events, and
-- API tokens for scripts.

-- The fields an analyst corrected (JSON), applied again after re-extraction.
ALTER TABLE events ADD COLUMN corrected TEXT;
CREATE INDEX events_review ON events(review);

-- A script's token, kept as its SHA-256: the token itself is shown once.
CREATE TABLE api_tokens (
    hash       TEXT PRIMARY KEY,
    user       TEXT NOT NULL REFERENCES users(name),
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- What pages ask for one at a time: a document's events, a person's links.
CREATE INDEX events_document ON events(document_id);
CREATE INDEX person_links_person ON person_links(person_id);
