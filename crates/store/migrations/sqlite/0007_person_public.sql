-- Chronicle's embedded store: persons an analyst made public. A public
-- export withholds every person who is no victim or perpetrator of any event
-- (a relative, a witness, a source) unless an analyst marked them here.
CREATE TABLE person_public (
    person_id INTEGER PRIMARY KEY REFERENCES persons(id),
    actor     TEXT NOT NULL,
    at        TEXT NOT NULL
);
