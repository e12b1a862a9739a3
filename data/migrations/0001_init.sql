-- Articles are the project's sources. Text is stored NFC with "\n" line
-- ends; every offset in the project is a rune offset into it.
CREATE TABLE articles (
	id          INTEGER PRIMARY KEY,
	outlet      TEXT NOT NULL DEFAULT '',
	date        TEXT NOT NULL DEFAULT '',   -- '', 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'
	title       TEXT NOT NULL DEFAULT '',
	url         TEXT NOT NULL DEFAULT '',
	author      TEXT NOT NULL DEFAULT '',
	text        TEXT NOT NULL,
	words       INTEGER NOT NULL DEFAULT 0,
	hash        TEXT NOT NULL UNIQUE,       -- sha256 of text: duplicate detection
	source      TEXT NOT NULL DEFAULT '',
	imported    TEXT NOT NULL               -- RFC 3339 UTC
);
CREATE INDEX articles_outlet ON articles(outlet, date);
CREATE INDEX articles_date ON articles(date);

CREATE TABLE article_attributes (
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	value      TEXT NOT NULL,
	PRIMARY KEY (article_id, name)
) WITHOUT ROWID;

-- External-content FTS5 index over title and text, kept in sync by
-- triggers so no code path can forget to update it.
CREATE VIRTUAL TABLE articles_fts USING fts5(
	title, text,
	content='articles', content_rowid='id',
	tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
	INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
	INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
	INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
	INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;

-- Free-form project settings (name, created, ...).
CREATE TABLE project (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;
