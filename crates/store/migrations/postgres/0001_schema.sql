-- Chronicle's server store: the embedded store's schema 5 in PostgreSQL,
-- with full-text search by each document's language, trigram indexes for
-- name lookups, and the ingestion queue several processes pull from. Text is
-- compared byte by byte (COLLATE "C"), as SQLite compares it, so that both
-- engines order names, sources and keys alike whatever the server's locale.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE documents (
    id          TEXT COLLATE "C" PRIMARY KEY,
    sha256      TEXT COLLATE "C" NOT NULL UNIQUE,
    source      TEXT COLLATE "C" NOT NULL,
    title       TEXT COLLATE "C",
    published   TEXT COLLATE "C",
    language    TEXT COLLATE "C",
    publisher   TEXT COLLATE "C",
    text        TEXT COLLATE "C" NOT NULL,
    original    BYTEA NOT NULL,
    ingested_at TEXT COLLATE "C" NOT NULL,
    extractor   TEXT COLLATE "C" NOT NULL,
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
    name       TEXT COLLATE "C" NOT NULL,
    created_in TEXT COLLATE "C" NOT NULL REFERENCES documents(id)
);

CREATE TABLE person_names (
    person_id BIGINT NOT NULL REFERENCES persons(id),
    name      TEXT COLLATE "C" NOT NULL,
    folded    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (person_id, name)
);
CREATE INDEX person_names_folded ON person_names (folded);
-- Name search is "contains": trigrams serve LIKE '%…%'.
CREATE INDEX person_names_folded_trgm ON person_names USING gin (folded gin_trgm_ops);

-- `rowid` keeps the order a document gave its attributes in, as SQLite's rowid does.
CREATE TABLE person_attributes (
    rowid       BIGSERIAL,
    person_id   BIGINT NOT NULL REFERENCES persons(id),
    document_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id),
    kind        TEXT COLLATE "C" NOT NULL CHECK (kind IN ('age', 'birth_year', 'nationality', 'occupation')),
    value       TEXT COLLATE "C" NOT NULL
);
CREATE INDEX person_attributes_person ON person_attributes (person_id);

CREATE TABLE person_links (
    person_id   BIGINT NOT NULL REFERENCES persons(id),
    document_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id),
    local_index BIGINT NOT NULL,
    score       DOUBLE PRECISION NOT NULL,
    evidence    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (document_id, local_index)
);
CREATE INDEX person_links_person ON person_links (person_id);

CREATE TABLE organizations (
    id       BIGSERIAL PRIMARY KEY,
    key      TEXT COLLATE "C" NOT NULL UNIQUE,
    name     TEXT COLLATE "C" NOT NULL,
    category TEXT COLLATE "C",
    country  TEXT COLLATE "C"
);

CREATE TABLE mentions (
    id          BIGSERIAL PRIMARY KEY,
    document_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id),
    person_id   BIGINT REFERENCES persons(id),
    org_id      BIGINT REFERENCES organizations(id),
    text        TEXT COLLATE "C" NOT NULL,
    start       BIGINT NOT NULL,
    "end"       BIGINT NOT NULL,
    CHECK ((person_id IS NULL) <> (org_id IS NULL))
);
CREATE INDEX mentions_document ON mentions (document_id);
CREATE INDEX mentions_person ON mentions (person_id);
CREATE INDEX mentions_org ON mentions (org_id);

CREATE TABLE places (
    rowid       BIGSERIAL,
    document_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id),
    name        TEXT COLLATE "C" NOT NULL,
    country     TEXT COLLATE "C",
    start       BIGINT NOT NULL,
    "end"       BIGINT NOT NULL
);
CREATE INDEX places_document ON places (document_id);

CREATE TABLE events (
    id          TEXT COLLATE "C" PRIMARY KEY,
    document_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id),
    ordinal     BIGINT NOT NULL,
    type        TEXT COLLATE "C" NOT NULL,
    date        TEXT COLLATE "C",
    place       TEXT COLLATE "C",
    country     TEXT COLLATE "C",
    to_country  TEXT COLLATE "C",
    term_years  DOUBLE PRECISION,
    regime      TEXT COLLATE "C",
    charges     TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    confidence  DOUBLE PRECISION,
    review      TEXT COLLATE "C" NOT NULL DEFAULT 'machine' CHECK (review IN ('machine', 'confirmed', 'rejected')),
    corrected   TEXT COLLATE "C",
    UNIQUE (document_id, ordinal)
);
CREATE INDEX events_type ON events (type);
CREATE INDEX events_review ON events (review);
CREATE INDEX events_document ON events (document_id);

CREATE TABLE event_participants (
    rowid     BIGSERIAL,
    event_id  TEXT COLLATE "C" NOT NULL REFERENCES events(id),
    role      TEXT COLLATE "C" NOT NULL CHECK (role IN ('victim', 'perpetrator')),
    position  BIGINT NOT NULL,
    person_id BIGINT REFERENCES persons(id),
    org_id    BIGINT REFERENCES organizations(id),
    CHECK ((person_id IS NULL) <> (org_id IS NULL))
);
CREATE INDEX event_participants_event ON event_participants (event_id);
CREATE INDEX event_participants_person ON event_participants (person_id);

CREATE TABLE event_sources (
    rowid       BIGSERIAL,
    event_id    TEXT COLLATE "C" NOT NULL REFERENCES events(id),
    document_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id),
    start       BIGINT NOT NULL,
    "end"       BIGINT NOT NULL,
    quote       TEXT COLLATE "C" NOT NULL
);
CREATE INDEX event_sources_event ON event_sources (event_id);

CREATE TABLE person_keys (
    key       TEXT COLLATE "C" NOT NULL,
    person_id BIGINT NOT NULL REFERENCES persons(id),
    PRIMARY KEY (key, person_id)
);
CREATE INDEX person_keys_person ON person_keys (person_id);

CREATE TABLE name_words (
    word    TEXT COLLATE "C" PRIMARY KEY,
    persons BIGINT NOT NULL
);

CREATE TABLE decisions (
    id     BIGSERIAL PRIMARY KEY,
    kind   TEXT COLLATE "C" NOT NULL CHECK (kind IN ('merge', 'split', 'distinct')),
    detail TEXT COLLATE "C" NOT NULL,
    actor  TEXT COLLATE "C" NOT NULL,
    at     TEXT COLLATE "C" NOT NULL
);

CREATE TABLE person_pins (
    document_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id),
    name        TEXT COLLATE "C" NOT NULL,
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
    at        TEXT COLLATE "C" NOT NULL,
    actor     TEXT COLLATE "C" NOT NULL,
    action    TEXT COLLATE "C" NOT NULL,
    subject   TEXT COLLATE "C" NOT NULL,
    detail    TEXT COLLATE "C" NOT NULL,
    prev_hash TEXT COLLATE "C" NOT NULL,
    hash      TEXT COLLATE "C" NOT NULL
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
    name       TEXT COLLATE "C" PRIMARY KEY,
    role       TEXT COLLATE "C" NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    password   TEXT COLLATE "C",
    created_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE restricted (
    target TEXT COLLATE "C" PRIMARY KEY,
    kind   TEXT COLLATE "C" NOT NULL CHECK (kind IN ('document', 'event', 'person')),
    reason TEXT COLLATE "C",
    actor  TEXT COLLATE "C" NOT NULL,
    at     TEXT COLLATE "C" NOT NULL
);

CREATE TABLE restricted_mentions (
    document_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id),
    text        TEXT COLLATE "C" NOT NULL,
    target      TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (document_id, text)
);

CREATE TABLE grants (
    "user" TEXT COLLATE "C" NOT NULL REFERENCES users(name),
    target TEXT COLLATE "C" NOT NULL,
    actor  TEXT COLLATE "C" NOT NULL,
    at     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY ("user", target)
);

CREATE TABLE person_relations (
    rowid       BIGSERIAL,
    person_id   BIGINT NOT NULL REFERENCES persons(id),
    document_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id),
    relation    TEXT COLLATE "C" NOT NULL
);
CREATE INDEX person_relations_person ON person_relations (person_id);

CREATE TABLE api_tokens (
    hash       TEXT COLLATE "C" PRIMARY KEY,
    "user"     TEXT COLLATE "C" NOT NULL REFERENCES users(name),
    label      TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL
);

-- Reports waiting to be read, extracted and stored, in the order they came:
-- workers claim one each (FOR UPDATE SKIP LOCKED) and store them in this order.
CREATE TABLE ingest_queue (
    seq        BIGSERIAL PRIMARY KEY,
    sha256     TEXT COLLATE "C" NOT NULL UNIQUE,
    source     TEXT COLLATE "C" NOT NULL,
    bytes      BYTEA,
    state      TEXT COLLATE "C" NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    outcome    TEXT COLLATE "C",
    worker     TEXT COLLATE "C",
    queued_at  TEXT COLLATE "C" NOT NULL,
    done_at    TEXT COLLATE "C"
);
CREATE INDEX ingest_queue_pending ON ingest_queue (seq) WHERE state = 'pending';
