-- wikid schema, version 5 (after 0004_archive): indexes found by the benchmark suite.
-- Deleting a page removes its recent changes by page id or by (namespace, title,
-- time); with only a namespace prefix to search, every delete read all recent
-- changes of the namespace, so deletes slowed down as recent changes grew.
-- MediaWiki has the same index (rc_name_type_patrolled_timestamp is not it).
CREATE INDEX rc_namespace_title_timestamp ON recentchanges (rc_namespace, rc_title, rc_timestamp);
-- (namespace, title, timestamp) is a prefix of ar_namespace_title_id: one index
-- fewer to maintain for every archived or restored revision.
DROP INDEX IF EXISTS ar_name_title_timestamp;
