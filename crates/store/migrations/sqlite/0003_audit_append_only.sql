-- Chronicle's embedded store, version 3: the audit log refuses changes.
-- (Someone with the file can drop these; `chronicle audit verify` still finds
-- what they changed.)
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit entries are never changed');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit entries are never removed');
END;
