-- Teams and faithful interchange. A code may be a category that groups
-- codes but is never applied to text (REFI-QDA isCodable); every code,
-- annotation and memo records the coder who made it and, for annotations
-- and memos, who changed it last ('' when unknown: made before coders were
-- recorded, or imported from a file that does not say).
ALTER TABLE codes ADD COLUMN codable INTEGER NOT NULL DEFAULT 1;
ALTER TABLE codes ADD COLUMN creator TEXT NOT NULL DEFAULT '';
ALTER TABLE annotations ADD COLUMN creator TEXT NOT NULL DEFAULT '';
ALTER TABLE annotations ADD COLUMN modifier TEXT NOT NULL DEFAULT '';
ALTER TABLE memos ADD COLUMN creator TEXT NOT NULL DEFAULT '';
ALTER TABLE memos ADD COLUMN modifier TEXT NOT NULL DEFAULT '';
CREATE INDEX annotations_creator ON annotations(creator);

-- A coder is a name; REFI-QDA files name users by GUID, kept here so that
-- a project exported again gives each coder the GUID other tools know.
CREATE TABLE coders (
	name TEXT PRIMARY KEY CHECK (name <> ''),
	guid TEXT NOT NULL UNIQUE
) WITHOUT ROWID;

-- What other tools' REFI-QDA projects hold beyond Parallax's own model,
-- kept so that exporting the project again gives it back: sets of sources
-- and codes (Parallax's clusters, exported as sets, are not kept: the
-- analysis rebuilds them), and the types of variables (Parallax keeps the
-- values as text attributes).
CREATE TABLE refi_sets (
	guid        TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TABLE refi_set_members (
	set_guid   TEXT NOT NULL REFERENCES refi_sets(guid) ON DELETE CASCADE,
	article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,
	code_id    INTEGER REFERENCES codes(id) ON DELETE CASCADE,
	CHECK ((article_id IS NULL) <> (code_id IS NULL))
);
CREATE INDEX refi_set_members_set ON refi_set_members(set_guid);
CREATE TABLE refi_variables (
	name TEXT PRIMARY KEY,
	type TEXT NOT NULL CHECK (type IN ('Text', 'Boolean', 'Integer', 'Float', 'Date', 'DateTime'))
) WITHOUT ROWID;
