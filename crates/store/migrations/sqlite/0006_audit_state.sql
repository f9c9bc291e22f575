-- Chronicle's embedded store, version 6: every audit entry records digests
-- of the state its write left (accounts, grants, restrictions, tokens, and
-- the rows of the document it is about), covered by its hash; `chronicle
-- audit verify` recomputes them. Entries written before have none. After
-- this (and any later) migration the store appends an entry recording the
-- whole store's state.
ALTER TABLE audit ADD COLUMN state TEXT;
