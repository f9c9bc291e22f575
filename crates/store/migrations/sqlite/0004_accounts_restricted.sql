-- Chronicle's embedded store, version 4: accounts, restricted records and
-- grants; kinship words said of persons (for redacted public exports).

-- Accounts. With none on record the store is one person's: everything is
-- visible and every change allowed. The password is an Argon2id PHC string.
CREATE TABLE users (
    name       TEXT PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    password   TEXT,
    created_at TEXT NOT NULL
);

-- Records only granted users see: a document, an event or a person, by id.
CREATE TABLE restricted (
    target TEXT PRIMARY KEY,
    kind   TEXT NOT NULL CHECK (kind IN ('document', 'event', 'person')),
    reason TEXT,
    actor  TEXT NOT NULL,
    at     TEXT NOT NULL
);

-- A restricted person by every place a document names them, so that the
-- restriction holds whatever id re-extraction, merges and splits give them.
CREATE TABLE restricted_mentions (
    document_id TEXT NOT NULL REFERENCES documents(id),
    text        TEXT NOT NULL,
    target      TEXT NOT NULL,
    PRIMARY KEY (document_id, text)
);

-- Who may see which restricted record ('*': every one).
CREATE TABLE grants (
    user   TEXT NOT NULL REFERENCES users(name),
    target TEXT NOT NULL,
    actor  TEXT NOT NULL,
    at     TEXT NOT NULL,
    PRIMARY KEY (user, target)
);

-- "his brother", "the victim's wife": what a document says a person is to someone.
CREATE TABLE person_relations (
    person_id   INTEGER NOT NULL REFERENCES persons(id),
    document_id TEXT NOT NULL REFERENCES documents(id),
    relation    TEXT NOT NULL
);
CREATE INDEX person_relations_person ON person_relations(person_id);
