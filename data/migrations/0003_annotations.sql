-- The codebook: hierarchical codes with a colour and a description. guid
-- is the stable identity REFI-QDA exchange needs.
CREATE TABLE codes (
	id          INTEGER PRIMARY KEY,
	guid        TEXT NOT NULL UNIQUE,
	parent_id   INTEGER REFERENCES codes(id) ON DELETE CASCADE,
	name        TEXT NOT NULL CHECK (name <> ''),
	color       TEXT NOT NULL DEFAULT '#F6B73C',
	description TEXT NOT NULL DEFAULT '',
	created     TEXT NOT NULL
);
-- Sibling names are unique; coalesce makes top-level codes count as
-- siblings (NULLs never collide in a plain UNIQUE).
CREATE UNIQUE INDEX codes_sibling_name ON codes(coalesce(parent_id, 0), name);

-- An annotation anchors a note and codes to a rune range of an article.
-- exact/prefix/suffix follow the W3C TextQuoteSelector idea, so the range
-- can be found again if the article's text is replaced.
CREATE TABLE annotations (
	id         INTEGER PRIMARY KEY,
	guid       TEXT NOT NULL UNIQUE,
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	start      INTEGER NOT NULL CHECK (start >= 0),
	"end"      INTEGER NOT NULL CHECK ("end" > start),
	exact      TEXT NOT NULL,
	prefix     TEXT NOT NULL DEFAULT '',
	suffix     TEXT NOT NULL DEFAULT '',
	note       TEXT NOT NULL DEFAULT '',
	color      TEXT NOT NULL DEFAULT '',
	orphaned   INTEGER NOT NULL DEFAULT 0,
	created    TEXT NOT NULL,
	modified   TEXT NOT NULL
);
CREATE INDEX annotations_article ON annotations(article_id, start);

CREATE TABLE annotation_codes (
	annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
	code_id       INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
	PRIMARY KEY (annotation_id, code_id)
) WITHOUT ROWID;
CREATE INDEX annotation_codes_code ON annotation_codes(code_id);

-- Memos are free notes on the project, an article, a code or a cluster.
CREATE TABLE memos (
	id          INTEGER PRIMARY KEY,
	guid        TEXT NOT NULL UNIQUE,
	target_kind TEXT NOT NULL CHECK (target_kind IN ('project', 'article', 'code', 'cluster')),
	target_id   INTEGER NOT NULL DEFAULT 0,
	title       TEXT NOT NULL DEFAULT '',
	text        TEXT NOT NULL DEFAULT '',
	created     TEXT NOT NULL,
	modified    TEXT NOT NULL
);
CREATE INDEX memos_target ON memos(target_kind, target_id);
