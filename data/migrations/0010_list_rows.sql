-- The compare and matrix screens list hundreds of thousands of clusters.
-- Each cluster now carries what they list, filter and sort by, so that
-- opening them reads a line per cluster and no member's text:
--   listing  the cluster's line in a list, fields separated by tabs: ID,
--            articles, kind, status, versions, then the length in bytes
--            of the speaker's name and the name (which may hold any
--            character). Versions are each member's article and
--            relations, in member order, as "article:relation+relation"
--            separated by spaces, the reference's article marked with
--            '*' ("12*: 40:verbatim"). It repeats other columns so that
--            SQLite hands over thousands of lines joined, with nothing to
--            assemble row by row. The store writes it with every cluster
--            it writes, and again for a cluster an incremental analysis
--            adds members to, so the copy cannot go stale.
--   search   the text of each distinct version folded for search
--            (fold.String), the reference's first, one per line
-- Outlets are not copied: they are read from the articles, so an outlet
-- corrected after the analysis shows at once.
ALTER TABLE clusters ADD COLUMN listing TEXT NOT NULL DEFAULT '';
ALTER TABLE clusters ADD COLUMN search TEXT NOT NULL DEFAULT '';

UPDATE clusters SET listing = id || char(9) || articles || char(9) || kind || char(9) || status || char(9) ||
	coalesce((SELECT group_concat(m.article_id || CASE WHEN m.reference THEN '*' ELSE '' END || ':' || m.relations, ' '
		ORDER BY m.article_id, m.start, m."end")
		FROM cluster_members m WHERE m.cluster_id = clusters.id), '') || char(9) ||
	octet_length(speaker) || char(9) || speaker;

-- A member's text is its article's text at its spans, joined by single
-- spaces (substr counts characters, as offsets do); parallax_fold is
-- fold.String, which the store registers on every connection.
UPDATE clusters SET search = coalesce((
	SELECT group_concat(f, char(10) ORDER BY n) FROM (
		SELECT parallax_fold(t) AS f, min(n) AS n FROM (
			SELECT row_number() OVER (ORDER BY m.reference DESC, m.article_id, m.start, m."end") AS n,
				CASE WHEN m.spans = '' THEN substr(a.text, m.start + 1, m."end" - m.start)
				ELSE (SELECT group_concat(substr(a.text, (s.value ->> 0) + 1, (s.value ->> 1) - (s.value ->> 0)), ' ' ORDER BY s.key)
					FROM json_each(m.spans) s) END AS t
			FROM cluster_members m JOIN articles a ON a.id = m.article_id
			WHERE m.cluster_id = clusters.id)
		GROUP BY f)), '');

-- The library lists every article, by date by default: an index holding
-- the list's columns in that order answers it without reading the
-- articles' text (at 100,000 articles, a fifth of the time).
CREATE INDEX articles_list ON articles(date, outlet, id, title, url, words);
