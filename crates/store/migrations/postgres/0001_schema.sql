-- Chronicle's server store: the embedded store's schema 5 in PostgreSQL,
-- with full-text search by each document's language, trigram indexes for
-- name lookups, and the ingestion queue several processes pull from.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE documents (
    id          TEXT PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,
    source      TEXT NOT NULL,
    title       TEXT,
    published   TEXT,
    language    TEXT,
    publisher   TEXT,
    text        TEXT NOT NULL,
    original    BYTEA NOT NULL,
    ingested_at TEXT NOT NULL,
    extractor   TEXT NOT NULL,
    -- Title and text, stemmed as the document's language is (Russian or English).
    fts tsvector GENERATED ALWAYS AS (
        to_tsvector(CASE WHEN language = 'ru' THEN 'russian'::regconfig ELSE 'english'::regconfig END,
                    coalesce(title, '') || ' ' || text)
    ) STORED
);
CREATE INDEX documents_fts ON documents USING gin (fts);
CREATE INDEX documents_published ON documents (published);

CREATE TABLE persons (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL,
    created_in TEXT NOT NULL REFERENCES documents(id)
);

CREATE TABLE person_names (
    person_id BIGINT NOT NULL REFERENCES persons(id),
    name      TEXT NOT NULL,
    folded    TEXT NOT NULL,
    PRIMARY KEY (person_id, name)
);
CREATE INDEX person_names_folded ON person_names (folded);
-- Name search is "contains": trigrams serve LIKE '%…%'.
CREATE INDEX person_names_folded_trgm ON person_names USING gin (folded gin_trgm_ops);

-- `rowid` keeps the order a document gave its attributes in, as SQLite's rowid does.
CREATE TABLE person_attributes (
    rowid       BIGSERIAL,
    person_id   BIGINT NOT NULL REFERENCES persons(id),
    document_id TEXT NOT NULL REFERENCES documents(id),
    kind        TEXT NOT NULL CHECK (kind IN ('age', 'birth_year', 'nationality', 'occupation')),
    value       TEXT NOT NULL
);
CREATE INDEX person_attributes_person ON person_attributes (person_id);

CREATE TABLE person_links (
    person_id   BIGINT NOT NULL REFERENCES persons(id),
    document_id TEXT NOT NULL REFERENCES documents(id),
    local_index BIGINT NOT NULL,
    score       DOUBLE PRECISION NOT NULL,
    evidence    TEXT NOT NULL,
    PRIMARY KEY (document_id, local_index)
);
CREATE INDEX person_links_person ON person_links (person_id);

CREATE TABLE organizations (
    id       BIGSERIAL PRIMARY KEY,
    key      TEXT NOT NULL UNIQUE,
    name     TEXT NOT NULL,
    category TEXT,
    country  TEXT
);

CREATE TABLE mentions (
    id          BIGSERIAL PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    person_id   BIGINT REFERENCES persons(id),
    org_id      BIGINT REFERENCES organizations(id),
    text        TEXT NOT NULL,
    start       BIGINT NOT NULL,
    "end"       BIGINT NOT NULL,
    CHECK ((person_id IS NULL) <> (org_id IS NULL))
);
CREATE INDEX mentions_document ON mentions (document_id);
CREATE INDEX mentions_person ON mentions (person_id);
CREATE INDEX mentions_org ON mentions (org_id);

CREATE TABLE places (
    rowid       BIGSERIAL,
    document_id TEXT NOT NULL REFERENCES documents(id),
    name        TEXT NOT NULL,
    country     TEXT,
    start       BIGINT NOT NULL,
    "end"       BIGINT NOT NULL
);
CREATE INDEX places_document ON places (document_id);

CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    ordinal     BIGINT NOT NULL,
    type        TEXT NOT NULL,
    date        TEXT,
    place       TEXT,
    country     TEXT,
    to_country  TEXT,
    term_years  DOUBLE PRECISION,
    regime      TEXT,
    charges     TEXT NOT NULL DEFAULT '[]',
    confidence  DOUBLE PRECISION,
    review      TEXT NOT NULL DEFAULT 'machine' CHECK (review IN ('machine', 'confirmed', 'rejected')),
    corrected   TEXT,
    UNIQUE (document_id, ordinal)
);
CREATE INDEX events_type ON events (type);
CREATE INDEX events_review ON events (review);
CREATE INDEX events_document ON events (document_id);

CREATE TABLE event_participants (
    rowid     BIGSERIAL,
    event_id  TEXT NOT NULL REFERENCES events(id),
    role      TEXT NOT NULL CHECK (role IN ('victim', 'perpetrator')),
    position  BIGINT NOT NULL,
    person_id BIGINT REFERENCES persons(id),
    org_id    BIGINT REFERENCES organizations(id),
    CHECK ((person_id IS NULL) <> (org_id IS NULL))
);
CREATE INDEX event_participants_event ON event_participants (event_id);
CREATE INDEX event_participants_person ON event_participants (person_id);

CREATE TABLE event_sources (
    rowid       BIGSERIAL,
    event_id    TEXT NOT NULL REFERENCES events(id),
    document_id TEXT NOT NULL REFERENCES documents(id),
    start       BIGINT NOT NULL,
    "end"       BIGINT NOT NULL,
    quote       TEXT NOT NULL
);
CREATE INDEX event_sources_event ON event_sources (event_id);

CREATE TABLE person_keys (
    key       TEXT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES persons(id),
    PRIMARY KEY (key, person_id)
);
CREATE INDEX person_keys_person ON person_keys (person_id);

CREATE TABLE name_words (
    word    TEXT PRIMARY KEY,
    persons BIGINT NOT NULL
);

CREATE TABLE decisions (
    id     BIGSERIAL PRIMARY KEY,
    kind   TEXT NOT NULL CHECK (kind IN ('merge', 'split', 'distinct')),
    detail TEXT NOT NULL,
    actor  TEXT NOT NULL,
    at     TEXT NOT NULL
);

CREATE TABLE person_pins (
    document_id TEXT NOT NULL REFERENCES documents(id),
    name        TEXT NOT NULL,
    person_id   BIGINT NOT NULL REFERENCES persons(id),
    decision_id BIGINT NOT NULL REFERENCES decisions(id),
    PRIMARY KEY (document_id, name)
);
CREATE INDEX person_pins_person ON person_pins (person_id);

CREATE TABLE person_distinct (
    a           BIGINT NOT NULL REFERENCES persons(id),
    b           BIGINT NOT NULL REFERENCES persons(id),
    decision_id BIGINT NOT NULL REFERENCES decisions(id),
    PRIMARY KEY (a, b),
    CHECK (a < b)
);

CREATE TABLE audit (
    seq       BIGINT PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
-- The audit log refuses changes (an owner of the database can drop this;
-- `chronicle audit verify` still finds what they changed).
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are never changed or removed';
END;
$$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

CREATE TABLE users (
    name       TEXT PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    password   TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE restricted (
    target TEXT PRIMARY KEY,
    kind   TEXT NOT NULL CHECK (kind IN ('document', 'event', 'person')),
    reason TEXT,
    actor  TEXT NOT NULL,
    at     TEXT NOT NULL
);

CREATE TABLE restricted_mentions (
    document_id TEXT NOT NULL REFERENCES documents(id),
    text        TEXT NOT NULL,
    target      TEXT NOT NULL,
    PRIMARY KEY (document_id, text)
);

CREATE TABLE grants (
    "user" TEXT NOT NULL REFERENCES users(name),
    target TEXT NOT NULL,
    actor  TEXT NOT NULL,
    at     TEXT NOT NULL,
    PRIMARY KEY ("user", target)
);

CREATE TABLE person_relations (
    rowid       BIGSERIAL,
    person_id   BIGINT NOT NULL REFERENCES persons(id),
    document_id TEXT NOT NULL REFERENCES documents(id),
    relation    TEXT NOT NULL
);
CREATE INDEX person_relations_person ON person_relations (person_id);

CREATE TABLE api_tokens (
    hash       TEXT PRIMARY KEY,
    "user"     TEXT NOT NULL REFERENCES users(name),
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Reports waiting to be read, extracted and stored, in the order they came:
-- workers claim one each (FOR UPDATE SKIP LOCKED) and store them in this order.
CREATE TABLE ingest_queue (
    seq        BIGSERIAL PRIMARY KEY,
    sha256     TEXT NOT NULL UNIQUE,
    source     TEXT NOT NULL,
    bytes      BYTEA,
    state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    outcome    TEXT,
    worker     TEXT,
    queued_at  TEXT NOT NULL,
    done_at    TEXT
);
CREATE INDEX ingest_queue_pending ON ingest_queue (seq) WHERE state = 'pending';
