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
