-- The original of a syndicated text is now the earliest-published of its
-- articles where the dates tell, not the first imported: the families
-- whose dates put a copy before its original are given that copy as their
-- original, in Go (orientCopies).
SELECT 1;
