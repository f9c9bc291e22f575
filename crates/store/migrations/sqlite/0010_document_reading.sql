-- Chronicle's embedded store: how each document's text was read, the tags
-- analysts give it, and the
-- message a document came attached to.
--
-- `reading` is 'native' (the text the file carries), 'ocr' (recognised from
-- page images, with the recogniser's mean word confidence in
-- `ocr_confidence`, 0 to 1) or 'unreadable' (no text could be read: kept
-- for its bytes). `attached_to` is the id of the e-mail an attachment came
-- in; the message is stored before its attachments.
ALTER TABLE documents ADD COLUMN reading TEXT NOT NULL DEFAULT 'native';
ALTER TABLE documents ADD COLUMN ocr_confidence REAL;
ALTER TABLE documents ADD COLUMN attached_to TEXT;
CREATE INDEX documents_attached_to ON documents (attached_to);

-- Tags analysts give reports as they ingest them.
CREATE TABLE document_tags (
    document_id TEXT NOT NULL REFERENCES documents (id),
    tag TEXT NOT NULL,
    PRIMARY KEY (document_id, tag)
);
CREATE INDEX document_tags_tag ON document_tags (tag);
