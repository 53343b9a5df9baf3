-- wikid schema, version 2: ids as MediaWiki hands them out. MediaWiki never reuses a
-- page, revision, log or recent-change id, even after the row with the highest id
-- moved to the archive; SQLite does unless the key is AUTOINCREMENT. The tables are
-- rebuilt with AUTOINCREMENT keys (rows kept) and get the indexes the page code uses.

CREATE TABLE page_v2 (
  page_id            INTEGER PRIMARY KEY AUTOINCREMENT,
  page_namespace     INTEGER NOT NULL,
  page_title         TEXT NOT NULL,
  page_is_redirect   INTEGER NOT NULL DEFAULT 0,
  page_is_new        INTEGER NOT NULL DEFAULT 0,
  page_random        REAL NOT NULL,
  page_touched       TEXT NOT NULL,
  page_links_updated TEXT,
  page_latest        INTEGER NOT NULL,
  page_len           INTEGER NOT NULL,
  page_content_model TEXT NOT NULL,
  page_lang          TEXT,
  UNIQUE (page_namespace, page_title)
);
INSERT INTO page_v2 SELECT * FROM page;
DROP TABLE page;
ALTER TABLE page_v2 RENAME TO page;
CREATE INDEX page_random ON page (page_random);
CREATE INDEX page_len ON page (page_len);
CREATE INDEX page_redirect_namespace_len ON page (page_is_redirect, page_namespace, page_len);

CREATE TABLE revision_v2 (
  rev_id         INTEGER PRIMARY KEY AUTOINCREMENT,
  rev_page       INTEGER NOT NULL,
  rev_parent_id  INTEGER,
  rev_timestamp  TEXT NOT NULL,
  rev_actor      INTEGER NOT NULL,
  rev_comment    TEXT NOT NULL DEFAULT '',
  rev_minor_edit INTEGER NOT NULL DEFAULT 0,
  rev_deleted    INTEGER NOT NULL DEFAULT 0,
  rev_len        INTEGER NOT NULL,
  rev_sha1       TEXT NOT NULL,
  rev_content_id INTEGER NOT NULL REFERENCES content(content_id)
);
INSERT INTO revision_v2 SELECT * FROM revision;
DROP TABLE revision;
ALTER TABLE revision_v2 RENAME TO revision;
CREATE INDEX rev_page_timestamp ON revision (rev_page, rev_timestamp, rev_id);
CREATE INDEX rev_page_id ON revision (rev_page, rev_id);
CREATE INDEX rev_timestamp ON revision (rev_timestamp, rev_id);
CREATE INDEX rev_actor_timestamp ON revision (rev_actor, rev_timestamp, rev_id);

CREATE TABLE logging_v2 (
  log_id        INTEGER PRIMARY KEY AUTOINCREMENT,
  log_type      TEXT NOT NULL,
  log_action    TEXT NOT NULL,
  log_timestamp TEXT NOT NULL,
  log_actor     INTEGER NOT NULL,
  log_namespace INTEGER NOT NULL,
  log_title     TEXT NOT NULL,
  log_page      INTEGER,
  log_comment   TEXT NOT NULL DEFAULT '',
  log_params    TEXT NOT NULL DEFAULT '{}',
  log_deleted   INTEGER NOT NULL DEFAULT 0
);
INSERT INTO logging_v2 SELECT * FROM logging;
DROP TABLE logging;
ALTER TABLE logging_v2 RENAME TO logging;
CREATE INDEX log_type_time ON logging (log_type, log_timestamp);
CREATE INDEX log_page_time ON logging (log_namespace, log_title, log_timestamp);
CREATE INDEX log_page_id_time ON logging (log_page, log_timestamp);
CREATE INDEX log_actor_time ON logging (log_actor, log_timestamp);
CREATE INDEX log_times ON logging (log_timestamp);

CREATE TABLE recentchanges_v2 (
  rc_id          INTEGER PRIMARY KEY AUTOINCREMENT,
  rc_timestamp   TEXT NOT NULL,
  rc_actor       INTEGER NOT NULL,
  rc_namespace   INTEGER NOT NULL,
  rc_title       TEXT NOT NULL,
  rc_comment     TEXT NOT NULL DEFAULT '',
  rc_minor       INTEGER NOT NULL DEFAULT 0,
  rc_bot         INTEGER NOT NULL DEFAULT 0,
  rc_new         INTEGER NOT NULL DEFAULT 0,
  rc_cur_id      INTEGER NOT NULL DEFAULT 0,
  rc_this_oldid  INTEGER NOT NULL DEFAULT 0,
  rc_last_oldid  INTEGER NOT NULL DEFAULT 0,
  rc_type        INTEGER NOT NULL DEFAULT 0,
  rc_source      TEXT NOT NULL DEFAULT '',
  rc_patrolled   INTEGER NOT NULL DEFAULT 0,
  rc_ip          TEXT NOT NULL DEFAULT '',
  rc_old_len     INTEGER,
  rc_new_len     INTEGER,
  rc_deleted     INTEGER NOT NULL DEFAULT 0,
  rc_logid       INTEGER NOT NULL DEFAULT 0,
  rc_log_type    TEXT,
  rc_log_action  TEXT,
  rc_params      TEXT
);
INSERT INTO recentchanges_v2 SELECT * FROM recentchanges;
DROP TABLE recentchanges;
ALTER TABLE recentchanges_v2 RENAME TO recentchanges;
CREATE INDEX rc_timestamp ON recentchanges (rc_timestamp);
CREATE INDEX rc_name_type_patrolled_timestamp ON recentchanges (rc_namespace, rc_type, rc_patrolled, rc_timestamp);
CREATE INDEX rc_cur_id ON recentchanges (rc_cur_id);
CREATE INDEX rc_actor ON recentchanges (rc_actor, rc_timestamp);
CREATE INDEX rc_this_oldid ON recentchanges (rc_this_oldid);

-- The full-text index `searchindex` is keyed by page id (its rowid = page_id).
CREATE INDEX wl_user_expiry ON watchlist (wl_user, wl_expiry);
