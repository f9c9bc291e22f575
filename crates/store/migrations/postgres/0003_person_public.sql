-- Chronicle's server store: persons an analyst made public (the embedded
-- store's 0008_person_public.sql). A public export withholds every person who
-- is no victim or perpetrator of any event unless an analyst marked them here.
CREATE TABLE person_public (
    person_id BIGINT PRIMARY KEY REFERENCES persons(id),
    actor     TEXT COLLATE "C" NOT NULL,
    at        TEXT COLLATE "C" NOT NULL
);
