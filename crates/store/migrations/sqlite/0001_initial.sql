-- Chronicle's embedded store, version 1.
CREATE TABLE documents (
    id          TEXT PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,
    source      TEXT NOT NULL,
    title       TEXT,
    published   TEXT,
    language    TEXT,
    publisher   TEXT,
    text        TEXT NOT NULL,
    original    BLOB NOT NULL,
    ingested_at TEXT NOT NULL,
    extractor   TEXT NOT NULL
);

CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content='documents', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;

CREATE TABLE persons (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    blocking_key TEXT NOT NULL,
    created_in   TEXT NOT NULL REFERENCES documents(id)
);
CREATE INDEX persons_blocking_key ON persons(blocking_key);

-- Every spelling of a person, for search and linking.
CREATE TABLE person_names (
    person_id INTEGER NOT NULL REFERENCES persons(id),
    name      TEXT NOT NULL,
    folded    TEXT NOT NULL,
    PRIMARY KEY (person_id, name)
);
CREATE INDEX person_names_folded ON person_names(folded);

-- What one document says of a person: age, nationality, occupation.
CREATE TABLE person_attributes (
    person_id   INTEGER NOT NULL REFERENCES persons(id),
    document_id TEXT NOT NULL REFERENCES documents(id),
    kind        TEXT NOT NULL CHECK (kind IN ('age', 'birth_year', 'nationality', 'occupation')),
    value       TEXT NOT NULL
);
CREATE INDEX person_attributes_person ON person_attributes(person_id);

-- Why a document's person was linked to a person on record.
CREATE TABLE person_links (
    person_id   INTEGER NOT NULL REFERENCES persons(id),
    document_id TEXT NOT NULL REFERENCES documents(id),
    local_index INTEGER NOT NULL,
    score       REAL NOT NULL,
    evidence    TEXT NOT NULL,
    PRIMARY KEY (document_id, local_index)
);

CREATE TABLE organizations (
    id       INTEGER PRIMARY KEY,
    key      TEXT NOT NULL UNIQUE,
    name     TEXT NOT NULL,
    category TEXT,
    country  TEXT
);

CREATE TABLE mentions (
    id          INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    person_id   INTEGER REFERENCES persons(id),
    org_id      INTEGER REFERENCES organizations(id),
    text        TEXT NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    CHECK ((person_id IS NULL) <> (org_id IS NULL))
);
CREATE INDEX mentions_document ON mentions(document_id);
CREATE INDEX mentions_person ON mentions(person_id);
CREATE INDEX mentions_org ON mentions(org_id);

CREATE TABLE places (
    document_id TEXT NOT NULL REFERENCES documents(id),
    name        TEXT NOT NULL,
    country     TEXT,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL
);
CREATE INDEX places_document ON places(document_id);

CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    ordinal     INTEGER NOT NULL,
    type        TEXT NOT NULL,
    date        TEXT,
    place       TEXT,
    country     TEXT,
    to_country  TEXT,
    term_years  REAL,
    regime      TEXT,
    charges     TEXT NOT NULL DEFAULT '[]',
    confidence  REAL,
    review      TEXT NOT NULL DEFAULT 'machine' CHECK (review IN ('machine', 'confirmed', 'rejected')),
    UNIQUE (document_id, ordinal)
);
CREATE INDEX events_type ON events(type);

CREATE TABLE event_participants (
    event_id  TEXT NOT NULL REFERENCES events(id),
    role      TEXT NOT NULL CHECK (role IN ('victim', 'perpetrator')),
    position  INTEGER NOT NULL,
    person_id INTEGER REFERENCES persons(id),
    org_id    INTEGER REFERENCES organizations(id),
    CHECK ((person_id IS NULL) <> (org_id IS NULL))
);
CREATE INDEX event_participants_event ON event_participants(event_id);
CREATE INDEX event_participants_person ON event_participants(person_id);

CREATE TABLE event_sources (
    event_id    TEXT NOT NULL REFERENCES events(id),
    document_id TEXT NOT NULL REFERENCES documents(id),
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    quote       TEXT NOT NULL
);
CREATE INDEX event_sources_event ON event_sources(event_id);
