-- The parser cache keeps the parse metadata (links, sections, …) beside the HTML.
ALTER TABLE parser_cache ADD COLUMN pc_meta TEXT NOT NULL DEFAULT '{}';
CREATE INDEX job_token_time ON job (job_token, job_id);
CREATE INDEX el_to ON externallinks (el_to);
