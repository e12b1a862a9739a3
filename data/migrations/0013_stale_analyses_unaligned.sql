-- An article given a new text kept its analysis marked aligned when it
-- was in no cluster, so nothing said the clusters did not account for its
-- new text. A new version now marks it unaligned (replaceVersion); this
-- marks those a project already holds.
UPDATE analysis SET aligned = 0
WHERE aligned <> 0 AND hash <> (SELECT a.hash FROM articles a WHERE a.id = analysis.article_id);
