-- Earlier texts of articles replaced by a re-import, so a replacement never
-- loses what the researcher had.
CREATE TABLE article_versions (
	id         INTEGER PRIMARY KEY,
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	text       TEXT NOT NULL,
	hash       TEXT NOT NULL,
	source     TEXT NOT NULL,
	replaced   TEXT NOT NULL
);
CREATE INDEX article_versions_article ON article_versions(article_id);

-- Memos point at their target by ID without a foreign key (one column for
-- four kinds of target); delete them with the target so a reused ID never
-- inherits someone else's memo.
CREATE TRIGGER memos_article_gone AFTER DELETE ON articles BEGIN
	DELETE FROM memos WHERE target_kind = 'article' AND target_id = old.id;
END;
CREATE TRIGGER memos_code_gone AFTER DELETE ON codes BEGIN
	DELETE FROM memos WHERE target_kind = 'code' AND target_id = old.id;
END;
