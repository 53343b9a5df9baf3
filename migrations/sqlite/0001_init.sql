-- wikid schema, version 1: the whole wiki, shaped after MediaWiki's tables.
-- Text lives once in `content`; revision and archive rows point at it, so a
-- delete moves small rows and never copies text.

CREATE TABLE site_meta (
  sm_key   TEXT PRIMARY KEY,
  sm_value TEXT NOT NULL
);

CREATE TABLE user (
  user_id           INTEGER PRIMARY KEY,
  user_name         TEXT NOT NULL UNIQUE,
  user_password     TEXT NOT NULL DEFAULT '',
  user_email        TEXT NOT NULL DEFAULT '',
  user_registration TEXT,
  user_touched      TEXT NOT NULL,
  user_token        TEXT NOT NULL DEFAULT '',
  user_editcount    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE user_groups (
  ug_user   INTEGER NOT NULL REFERENCES user(user_id),
  ug_group  TEXT NOT NULL,
  ug_expiry TEXT,
  PRIMARY KEY (ug_user, ug_group)
);
CREATE INDEX ug_group ON user_groups (ug_group);

CREATE TABLE user_properties (
  up_user     INTEGER NOT NULL,
  up_property TEXT NOT NULL,
  up_value    TEXT,
  PRIMARY KEY (up_user, up_property)
);

-- Who did something: a registered user or an IP address.
CREATE TABLE actor (
  actor_id   INTEGER PRIMARY KEY,
  actor_user INTEGER UNIQUE,
  actor_name TEXT NOT NULL UNIQUE
);

CREATE TABLE bot_passwords (
  bp_user         INTEGER NOT NULL,
  bp_app_id       TEXT NOT NULL,
  bp_password     TEXT NOT NULL,
  bp_token        TEXT NOT NULL DEFAULT '',
  bp_restrictions TEXT NOT NULL DEFAULT '',
  bp_grants       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (bp_user, bp_app_id)
);

-- Server-side sessions, shared by every wikid process on the database.
CREATE TABLE sessions (
  s_id      TEXT PRIMARY KEY,
  s_user    INTEGER NOT NULL DEFAULT 0,
  s_bp_app  TEXT,
  s_data    TEXT NOT NULL DEFAULT '{}',
  s_expires INTEGER NOT NULL
);
CREATE INDEX s_expires ON sessions (s_expires);

CREATE TABLE page (
  page_id            INTEGER PRIMARY KEY,
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
CREATE INDEX page_random ON page (page_random);
CREATE INDEX page_len ON page (page_len);
CREATE INDEX page_redirect_namespace_len ON page (page_is_redirect, page_namespace, page_len);

CREATE TABLE content (
  content_id    INTEGER PRIMARY KEY,
  content_size  INTEGER NOT NULL,
  content_sha1  TEXT NOT NULL,
  content_model TEXT NOT NULL,
  content_text  BLOB NOT NULL
);

CREATE TABLE revision (
  rev_id         INTEGER PRIMARY KEY,
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
CREATE INDEX rev_page_timestamp ON revision (rev_page, rev_timestamp, rev_id);
CREATE INDEX rev_timestamp ON revision (rev_timestamp, rev_id);
CREATE INDEX rev_actor_timestamp ON revision (rev_actor, rev_timestamp, rev_id);

CREATE TABLE archive (
  ar_id          INTEGER PRIMARY KEY,
  ar_namespace   INTEGER NOT NULL,
  ar_title       TEXT NOT NULL,
  ar_page_id     INTEGER,
  ar_rev_id      INTEGER NOT NULL UNIQUE,
  ar_parent_id   INTEGER,
  ar_timestamp   TEXT NOT NULL,
  ar_actor       INTEGER NOT NULL,
  ar_comment     TEXT NOT NULL DEFAULT '',
  ar_minor_edit  INTEGER NOT NULL DEFAULT 0,
  ar_deleted     INTEGER NOT NULL DEFAULT 0,
  ar_len         INTEGER,
  ar_sha1        TEXT NOT NULL,
  ar_content_id  INTEGER NOT NULL REFERENCES content(content_id)
);
CREATE INDEX ar_name_title_timestamp ON archive (ar_namespace, ar_title, ar_timestamp);
CREATE INDEX ar_actor_timestamp ON archive (ar_actor, ar_timestamp);

CREATE TABLE logging (
  log_id        INTEGER PRIMARY KEY,
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
CREATE INDEX log_type_time ON logging (log_type, log_timestamp);
CREATE INDEX log_page_time ON logging (log_namespace, log_title, log_timestamp);
CREATE INDEX log_page_id_time ON logging (log_page, log_timestamp);
CREATE INDEX log_actor_time ON logging (log_actor, log_timestamp);
CREATE INDEX log_times ON logging (log_timestamp);

CREATE TABLE recentchanges (
  rc_id          INTEGER PRIMARY KEY,
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
CREATE INDEX rc_timestamp ON recentchanges (rc_timestamp);
CREATE INDEX rc_name_type_patrolled_timestamp ON recentchanges (rc_namespace, rc_type, rc_patrolled, rc_timestamp);
CREATE INDEX rc_cur_id ON recentchanges (rc_cur_id);
CREATE INDEX rc_actor ON recentchanges (rc_actor, rc_timestamp);

CREATE TABLE change_tag_def (
  ctd_id           INTEGER PRIMARY KEY,
  ctd_name         TEXT NOT NULL UNIQUE,
  ctd_user_defined INTEGER NOT NULL DEFAULT 0,
  ctd_count        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE change_tag (
  ct_id     INTEGER PRIMARY KEY,
  ct_rc_id  INTEGER,
  ct_log_id INTEGER,
  ct_rev_id INTEGER,
  ct_params TEXT,
  ct_tag_id INTEGER NOT NULL REFERENCES change_tag_def(ctd_id)
);
CREATE INDEX ct_rc ON change_tag (ct_rc_id, ct_tag_id);
CREATE INDEX ct_log ON change_tag (ct_log_id, ct_tag_id);
CREATE INDEX ct_rev ON change_tag (ct_rev_id, ct_tag_id);

-- Link tables, filled from parsed wikitext.
CREATE TABLE pagelinks (
  pl_from           INTEGER NOT NULL,
  pl_from_namespace INTEGER NOT NULL DEFAULT 0,
  pl_namespace      INTEGER NOT NULL,
  pl_title          TEXT NOT NULL,
  PRIMARY KEY (pl_from, pl_namespace, pl_title)
);
CREATE INDEX pl_namespace ON pagelinks (pl_namespace, pl_title, pl_from_namespace, pl_from);

CREATE TABLE templatelinks (
  tl_from           INTEGER NOT NULL,
  tl_from_namespace INTEGER NOT NULL DEFAULT 0,
  tl_namespace      INTEGER NOT NULL,
  tl_title          TEXT NOT NULL,
  PRIMARY KEY (tl_from, tl_namespace, tl_title)
);
CREATE INDEX tl_namespace ON templatelinks (tl_namespace, tl_title, tl_from_namespace, tl_from);

CREATE TABLE categorylinks (
  cl_from            INTEGER NOT NULL,
  cl_to              TEXT NOT NULL,
  cl_sortkey         TEXT NOT NULL DEFAULT '',
  cl_sortkey_prefix  TEXT NOT NULL DEFAULT '',
  cl_timestamp       TEXT NOT NULL,
  cl_type            TEXT NOT NULL DEFAULT 'page',
  PRIMARY KEY (cl_from, cl_to)
);
CREATE INDEX cl_sortkey ON categorylinks (cl_to, cl_type, cl_sortkey, cl_from);
CREATE INDEX cl_timestamp ON categorylinks (cl_to, cl_timestamp);

CREATE TABLE category (
  cat_id      INTEGER PRIMARY KEY,
  cat_title   TEXT NOT NULL UNIQUE,
  cat_pages   INTEGER NOT NULL DEFAULT 0,
  cat_subcats INTEGER NOT NULL DEFAULT 0,
  cat_files   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE externallinks (
  el_id    INTEGER PRIMARY KEY,
  el_from  INTEGER NOT NULL,
  el_to    TEXT NOT NULL,
  el_index TEXT NOT NULL
);
CREATE INDEX el_from ON externallinks (el_from);
CREATE INDEX el_index ON externallinks (el_index);

CREATE TABLE imagelinks (
  il_from           INTEGER NOT NULL,
  il_from_namespace INTEGER NOT NULL DEFAULT 0,
  il_to             TEXT NOT NULL,
  PRIMARY KEY (il_from, il_to)
);
CREATE INDEX il_to ON imagelinks (il_to, il_from);

CREATE TABLE langlinks (
  ll_from  INTEGER NOT NULL,
  ll_lang  TEXT NOT NULL,
  ll_title TEXT NOT NULL,
  PRIMARY KEY (ll_from, ll_lang)
);
CREATE INDEX ll_lang ON langlinks (ll_lang, ll_title);

CREATE TABLE iwlinks (
  iwl_from   INTEGER NOT NULL,
  iwl_prefix TEXT NOT NULL,
  iwl_title  TEXT NOT NULL,
  PRIMARY KEY (iwl_from, iwl_prefix, iwl_title)
);
CREATE INDEX iwl_prefix_title_from ON iwlinks (iwl_prefix, iwl_title, iwl_from);

CREATE TABLE page_props (
  pp_page     INTEGER NOT NULL,
  pp_propname TEXT NOT NULL,
  pp_value    TEXT NOT NULL,
  pp_sortkey  REAL,
  PRIMARY KEY (pp_page, pp_propname)
);
CREATE INDEX pp_propname_page ON page_props (pp_propname, pp_page);

CREATE TABLE redirect (
  rd_from      INTEGER PRIMARY KEY,
  rd_namespace INTEGER NOT NULL,
  rd_title     TEXT NOT NULL,
  rd_interwiki TEXT NOT NULL DEFAULT '',
  rd_fragment  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX rd_ns_title ON redirect (rd_namespace, rd_title, rd_from);

CREATE TABLE page_restrictions (
  pr_id      INTEGER PRIMARY KEY,
  pr_page    INTEGER NOT NULL,
  pr_type    TEXT NOT NULL,
  pr_level   TEXT NOT NULL,
  pr_cascade INTEGER NOT NULL DEFAULT 0,
  pr_expiry  TEXT,
  UNIQUE (pr_page, pr_type)
);

CREATE TABLE protected_titles (
  pt_namespace   INTEGER NOT NULL,
  pt_title       TEXT NOT NULL,
  pt_user        INTEGER NOT NULL,
  pt_reason      TEXT NOT NULL DEFAULT '',
  pt_timestamp   TEXT NOT NULL,
  pt_expiry      TEXT,
  pt_create_perm TEXT NOT NULL,
  PRIMARY KEY (pt_namespace, pt_title)
);

CREATE TABLE watchlist (
  wl_id                    INTEGER PRIMARY KEY,
  wl_user                  INTEGER NOT NULL,
  wl_namespace             INTEGER NOT NULL,
  wl_title                 TEXT NOT NULL,
  wl_notificationtimestamp TEXT,
  wl_expiry                TEXT,
  UNIQUE (wl_user, wl_namespace, wl_title)
);
CREATE INDEX wl_namespace_title ON watchlist (wl_namespace, wl_title);

CREATE TABLE interwiki (
  iw_prefix TEXT PRIMARY KEY,
  iw_url    TEXT NOT NULL,
  iw_api    TEXT NOT NULL DEFAULT '',
  iw_local  INTEGER NOT NULL DEFAULT 0,
  iw_trans  INTEGER NOT NULL DEFAULT 0
);

-- Durable job queue: a job is a row written in the transaction that caused it.
CREATE TABLE job (
  job_id              INTEGER PRIMARY KEY,
  job_cmd             TEXT NOT NULL,
  job_namespace       INTEGER NOT NULL,
  job_title           TEXT NOT NULL,
  job_params          TEXT NOT NULL DEFAULT '{}',
  job_timestamp       TEXT NOT NULL,
  job_attempts        INTEGER NOT NULL DEFAULT 0,
  job_token           TEXT NOT NULL DEFAULT '',
  job_token_timestamp TEXT,
  job_sha1            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_cmd_token ON job (job_cmd, job_token, job_id);
CREATE INDEX job_sha1 ON job (job_sha1);

-- Rendered HTML by page and revision; purge drops it.
CREATE TABLE parser_cache (
  pc_page    INTEGER PRIMARY KEY,
  pc_rev     INTEGER NOT NULL,
  pc_touched TEXT NOT NULL,
  pc_html    TEXT NOT NULL,
  pc_time    TEXT NOT NULL
);

CREATE TABLE site_stats (
  ss_row_id        INTEGER PRIMARY KEY,
  ss_total_edits   INTEGER NOT NULL DEFAULT 0,
  ss_good_articles INTEGER NOT NULL DEFAULT 0,
  ss_total_pages   INTEGER NOT NULL DEFAULT 0,
  ss_users         INTEGER NOT NULL DEFAULT 0,
  ss_active_users  INTEGER NOT NULL DEFAULT 0,
  ss_images        INTEGER NOT NULL DEFAULT 0
);
INSERT INTO site_stats (ss_row_id) VALUES (1);

-- Rate-limit counters, shared by every wikid process on the database.
CREATE TABLE ratelimit (
  rl_key    TEXT PRIMARY KEY,
  rl_window INTEGER NOT NULL,
  rl_count  INTEGER NOT NULL
);

-- Full-text search over titles and latest text.
CREATE VIRTUAL TABLE searchindex USING fts5 (si_title, si_text, tokenize = 'unicode61');
