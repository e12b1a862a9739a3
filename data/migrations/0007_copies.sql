-- Wire copy is data, not a duplicate: the same text may be stored again
-- under another outlet, URL or date, marked as a copy of the first, so the
-- text hash is no longer unique. SQLite cannot drop a constraint, so the
-- table is rebuilt; the migration runner turns foreign keys off around it,
-- as SQLite's documented procedure for such changes requires, and checks
-- them before committing. IDs are kept, so every reference stays valid and
-- the full-text index (keyed by rowid) needs no rebuild.
CREATE TABLE articles_new (
	id          INTEGER PRIMARY KEY,
	outlet      TEXT NOT NULL DEFAULT '',
	date        TEXT NOT NULL DEFAULT '',   -- '', 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'
	title       TEXT NOT NULL DEFAULT '',
	url         TEXT NOT NULL DEFAULT '',
	author      TEXT NOT NULL DEFAULT '',
	text        TEXT NOT NULL,
	words       INTEGER NOT NULL DEFAULT 0,
	hash        TEXT NOT NULL,              -- sha256 of text
	source      TEXT NOT NULL DEFAULT '',
	imported    TEXT NOT NULL,              -- RFC 3339 UTC
	-- The earlier article this one repeats (a syndicated or wire copy), and
	-- the share of this article's text found in it: 1 for the same text.
	copy_of     INTEGER REFERENCES articles(id) ON DELETE SET NULL,
	copy_share  REAL NOT NULL DEFAULT 0,
	-- Metadata fields Parallax inferred rather than read, comma-separated
	-- (title,outlet,date,author), for the researcher to check.
	inferred    TEXT NOT NULL DEFAULT ''
);
INSERT INTO articles_new (id, outlet, date, title, url, author, text, words, hash, source, imported)
	SELECT id, outlet, date, title, url, author, text, words, hash, source, imported FROM articles;
DROP TABLE articles;
ALTER TABLE articles_new RENAME TO articles;
CREATE INDEX articles_outlet ON articles(outlet, date);
CREATE INDEX articles_date ON articles(date);
CREATE INDEX articles_hash ON articles(hash);
CREATE INDEX articles_source ON articles(source);
CREATE INDEX articles_copy_of ON articles(copy_of) WHERE copy_of IS NOT NULL;

-- The triggers went with the old table.
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
CREATE TRIGGER memos_article_gone AFTER DELETE ON articles BEGIN
	DELETE FROM memos WHERE target_kind = 'article' AND target_id = old.id;
END;

-- Sentence fingerprints find near-copies (agency text under a new headline
-- or with a paragraph added): each article's sentences of six words or
-- more, normalised and hashed, with their word counts, for the first few
-- articles that have each sentence (see maxPostings). A new article looks
-- its sentences up here, so the cost grows with its length, not with the
-- project. Filled for existing articles by the migration's Go step.
CREATE TABLE article_sentences (
	hash       INTEGER NOT NULL,
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	words      INTEGER NOT NULL,
	PRIMARY KEY (hash, article_id)
) WITHOUT ROWID;
CREATE INDEX article_sentences_article ON article_sentences(article_id);
