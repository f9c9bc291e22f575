-- Chronicle's server store: how each document's text was read, and the
-- message a document came attached to (as SQLite's 0010_document_reading.sql).
ALTER TABLE documents ADD COLUMN reading TEXT NOT NULL DEFAULT 'native';
ALTER TABLE documents ADD COLUMN ocr_confidence DOUBLE PRECISION;
ALTER TABLE documents ADD COLUMN attached_to TEXT;
CREATE INDEX documents_attached_to ON documents (attached_to);

-- Tags analysts give reports as they ingest them.
CREATE TABLE document_tags (
    document_id TEXT NOT NULL REFERENCES documents (id),
    tag TEXT NOT NULL COLLATE "C",
    PRIMARY KEY (document_id, tag)
);
CREATE INDEX document_tags_tag ON document_tags (tag);
