-- Per-article extraction results, cached so that analysing again after an
-- import only extracts the new articles. version is the analyser's; a
-- newer Parallax with a better extractor re-extracts.
CREATE TABLE analysis (
	article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
	version    INTEGER NOT NULL,
	hash       TEXT NOT NULL,   -- articles.hash the extraction was made from
	quotes     TEXT NOT NULL,   -- JSON array
	units      TEXT NOT NULL    -- JSON array
);

-- Clusters are versions of one utterance or finding across articles. They
-- are recomputed from the cached units; user decisions about them live in
-- their own tables (reference_pins) so recomputing never loses them.
CREATE TABLE clusters (
	id       INTEGER PRIMARY KEY,
	kind     TEXT NOT NULL,      -- quote | finding
	status   TEXT NOT NULL,      -- agree | diverge
	speaker  TEXT NOT NULL DEFAULT '',
	articles INTEGER NOT NULL    -- distinct articles among the members
);
CREATE INDEX clusters_articles ON clusters(articles);

CREATE TABLE cluster_members (
	cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	kind       TEXT NOT NULL,    -- quote | finding
	start      INTEGER NOT NULL, -- rune offsets of the outer span
	"end"      INTEGER NOT NULL,
	spans      TEXT NOT NULL,    -- JSON [[start,end],...]
	text       TEXT NOT NULL,
	speaker    TEXT NOT NULL DEFAULT '',
	reference  INTEGER NOT NULL DEFAULT 0,
	relations  TEXT NOT NULL,    -- JSON array of relation names
	diff       TEXT NOT NULL,    -- JSON [{"op","text"}]
	PRIMARY KEY (cluster_id, position)
) WITHOUT ROWID;
CREATE INDEX cluster_members_article ON cluster_members(article_id);

-- A passage the researcher chose as the reference of its cluster (e.g. the
-- inspection report itself), identified by article and range.
CREATE TABLE reference_pins (
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	start      INTEGER NOT NULL,
	"end"      INTEGER NOT NULL,
	PRIMARY KEY (article_id, start, "end")
) WITHOUT ROWID;
