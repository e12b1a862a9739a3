-- Articles whose search index entry is still to be made. A large import
-- stores its articles in one transaction without indexing them, and then
-- indexes them in short steps, so that it never holds the project's write
-- lock for long (another Parallax annotating meanwhile waits at most one
-- step). The triggers leave pending articles to that indexing, and never
-- ask the external-content index to delete an entry it was never given,
-- which would corrupt it.
CREATE TABLE fts_pending (
	article_id INTEGER PRIMARY KEY
);

DROP TRIGGER articles_ai;
DROP TRIGGER articles_ad;
DROP TRIGGER articles_au;
CREATE TRIGGER articles_ai AFTER INSERT ON articles
WHEN new.id NOT IN (SELECT article_id FROM fts_pending) BEGIN
	INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
	INSERT INTO articles_fts(articles_fts, rowid, title, text)
		SELECT 'delete', old.id, old.title, old.text WHERE old.id NOT IN (SELECT article_id FROM fts_pending);
	DELETE FROM fts_pending WHERE article_id = old.id;
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles
WHEN old.id NOT IN (SELECT article_id FROM fts_pending) BEGIN
	INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
	INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
