-- Which articles' passages the stored clusters account for, so that an
-- analysis after adding a few articles aligns only those against the
-- project instead of starting over. An article is unaligned when it is new
-- or changed, or when a cluster it took part in was dropped (another
-- member's article deleted or replaced).
ALTER TABLE analysis ADD COLUMN aligned INTEGER NOT NULL DEFAULT 0;
-- How many alignable passages each extraction holds, so the project's
-- total is known without decoding every extraction.
ALTER TABLE analysis ADD COLUMN passages INTEGER NOT NULL DEFAULT 0;
