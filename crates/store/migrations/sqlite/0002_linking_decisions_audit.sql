-- Chronicle's embedded store, version 2: blocking keys and name frequencies
-- for linking, analysts' decisions on persons, and the audit log.

DROP INDEX persons_blocking_key;
ALTER TABLE persons DROP COLUMN blocking_key;

-- Every blocking key of every spelling of a person; candidates for a new
-- person are the persons sharing one of its keys.
CREATE TABLE person_keys (
    key       TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES persons(id),
    PRIMARY KEY (key, person_id)
) WITHOUT ROWID;
CREATE INDEX person_keys_person ON person_keys(person_id);

-- How many persons each name word (romanisation-neutral) names: frequent
-- names are weaker evidence.
CREATE TABLE name_words (
    word    TEXT PRIMARY KEY,
    persons INTEGER NOT NULL
) WITHOUT ROWID;

-- Analysts' decisions on persons: merge, split, distinct.
CREATE TABLE decisions (
    id     INTEGER PRIMARY KEY,
    kind   TEXT NOT NULL CHECK (kind IN ('merge', 'split', 'distinct')),
    detail TEXT NOT NULL,
    actor  TEXT NOT NULL,
    at     TEXT NOT NULL
);

-- A document's person, by a name it goes by there, belongs to this person:
-- what a decision says, kept so that linking and re-extraction follow it.
CREATE TABLE person_pins (
    document_id TEXT NOT NULL REFERENCES documents(id),
    name        TEXT NOT NULL,
    person_id   INTEGER NOT NULL REFERENCES persons(id),
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    PRIMARY KEY (document_id, name)
);
CREATE INDEX person_pins_person ON person_pins(person_id);

-- Two persons analysts said are different people.
CREATE TABLE person_distinct (
    a           INTEGER NOT NULL REFERENCES persons(id),
    b           INTEGER NOT NULL REFERENCES persons(id),
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    PRIMARY KEY (a, b),
    CHECK (a < b)
);

-- Every write, appended and chained: each entry's hash covers the previous
-- entry's hash and this entry's fields. Never updated in place.
CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
