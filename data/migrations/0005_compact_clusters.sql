-- Clusters store only what cannot be derived. A member is an article's
-- range with its relations: its text is the article's text at its spans,
-- and its word diff against the reference is computed when shown (about a
-- millisecond), so months of coverage no longer store each version's text
-- and diff once per article. Clusters keep their IDs from one analysis to
-- the next; the reference text and the member count let the compare list
-- load one row per cluster.
CREATE TABLE cluster_members_v5 (
	cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	start      INTEGER NOT NULL,           -- rune offsets of the outer span
	"end"      INTEGER NOT NULL,
	spans      TEXT NOT NULL DEFAULT '',   -- '' for one span, else JSON [[start,end],...]
	kind       TEXT NOT NULL,              -- quote | finding
	statement  INTEGER NOT NULL DEFAULT 0, -- the quotation it belongs to in its article, from 1; 0 for a finding
	speaker    TEXT NOT NULL DEFAULT '',
	reference  INTEGER NOT NULL DEFAULT 0,
	relations  TEXT NOT NULL DEFAULT '',   -- relation names joined by '+'
	PRIMARY KEY (cluster_id, article_id, start, "end")
) WITHOUT ROWID;

INSERT OR IGNORE INTO cluster_members_v5 (cluster_id, article_id, start, "end", spans, kind, speaker, reference, relations)
SELECT cluster_id, article_id, start, "end",
	CASE WHEN json_array_length(spans) > 1 THEN spans ELSE '' END,
	kind, speaker, reference,
	coalesce((SELECT group_concat(value, '+') FROM json_each(cluster_members.relations)), '')
FROM cluster_members;

DROP TABLE cluster_members;
ALTER TABLE cluster_members_v5 RENAME TO cluster_members;
CREATE INDEX cluster_members_article ON cluster_members(article_id);

ALTER TABLE clusters ADD COLUMN reference TEXT NOT NULL DEFAULT '';
ALTER TABLE clusters ADD COLUMN members INTEGER NOT NULL DEFAULT 0;
UPDATE clusters SET members = (SELECT count(*) FROM cluster_members WHERE cluster_id = clusters.id);
UPDATE clusters SET reference = coalesce((SELECT substr(a.text, m.start + 1, m."end" - m.start)
	FROM cluster_members m JOIN articles a ON a.id = m.article_id
	WHERE m.cluster_id = clusters.id AND m.reference = 1), '');
