-- A near-copy's share is now of all its words: the articles marked the
-- same text as another whose hash differs are worked out again, in Go
-- (reshareCopies).
SELECT 1;
