-- The library lists every article with the columns migration 7 added
-- (inferred, copy_of, copy_share), which articles_list did not hold: each
-- listing read every article's row, text and all (0.65 s against 0.08 s
-- at 100,000 articles, most of the time to the window's first frame).
-- The index now holds every column the list reads.
DROP INDEX articles_list;
CREATE INDEX articles_list ON articles(date, outlet, id, title, url, words, inferred, copy_of, copy_share);
