-- Chronicle's embedded store: search by the stems of words.
--
-- The full-text index holds the stems of each document's title and text
-- (Snowball's Russian and English stemmers, written by the store as the
-- document is), no longer the words as written: any form of a word finds
-- the others (задержан, задержали; Хамроеву, Хамроев). It keeps no copy of
-- the text (contentless); the store fills it again for the documents on
-- record after this migration.
DROP TRIGGER IF EXISTS documents_fts_insert;
DROP TRIGGER IF EXISTS documents_fts_delete;
DROP TABLE IF EXISTS documents_fts;
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content='',
    tokenize='unicode61 remove_diacritics 2'
);
