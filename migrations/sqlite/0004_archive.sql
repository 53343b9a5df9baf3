-- wikid schema, version 4 (after 0003_links): indexes for deletion and the deleted-revision listings.
-- The "only contributor" of an automatic deletion reason reads a page's
-- revisions in MediaWiki's rev_page_actor_timestamp order.
CREATE INDEX rev_page_actor_timestamp ON revision (rev_page, rev_actor, rev_timestamp);
-- list=alldeletedrevisions by time.
CREATE INDEX ar_timestamp_id ON archive (ar_timestamp, ar_id);
-- Undelete restores by title (and maybe timestamp); ar_rev_id lookups are unique already.
CREATE INDEX ar_namespace_title_id ON archive (ar_namespace, ar_title, ar_timestamp, ar_id);
