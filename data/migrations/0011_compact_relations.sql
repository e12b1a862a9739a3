-- From this version on, a member's relations may be stored as one letter
-- each ("ER": elided, then reworded; see data/compact.go) in
-- cluster_members.relations and in clusters.listing, and a cluster's
-- search text compressed (an S2 block), as a blob. Rows written before keep their form
-- and read as they did, so nothing is rewritten here; the version is
-- recorded so that an older Parallax refuses the project rather than
-- misread what this one writes.
SELECT 1;
