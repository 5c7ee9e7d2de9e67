-- Portable SQL: the same migration runs on H2 (embedded default) and PostgreSQL.

-- One row per flagged text id (idempotent upsert by id): only what the queue lists, filters and
-- sorts, so scanning it stays cheap; the explanation itself is in item_bodies.
CREATE TABLE items (
  id VARCHAR(256) PRIMARY KEY,
  model_version VARCHAR(128) NOT NULL,
  label VARCHAR(128) NOT NULL,
  label_score DOUBLE PRECISION NOT NULL,
  snippet VARCHAR(200),
  flag_types VARCHAR(2000) NOT NULL,
  submitted_at_ms BIGINT NOT NULL,
  received_at_ms BIGINT NOT NULL,
  review_action VARCHAR(32),
  reviewed_by VARCHAR(64),
  reviewed_at_ms BIGINT
);
CREATE TABLE item_bodies (
  id VARCHAR(256) PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  labels_json VARCHAR NOT NULL,
  scores_json VARCHAR NOT NULL,
  explained_label_index INT NOT NULL,
  text_value VARCHAR,
  text_sha256 VARCHAR(64) NOT NULL,
  tokens_json VARCHAR NOT NULL,
  words_json VARCHAR NOT NULL,
  completeness_residual DOUBLE PRECISION NOT NULL,
  truncated BOOLEAN NOT NULL
);
-- Descending, like the queue's order (H2 does not scan an ascending index backwards).
CREATE INDEX items_received ON items (received_at_ms DESC, id DESC);
CREATE INDEX items_label ON items (label, received_at_ms DESC);
CREATE INDEX items_model ON items (model_version, received_at_ms DESC);
CREATE INDEX items_review ON items (review_action, received_at_ms DESC);

CREATE TABLE item_flags (
  item_id VARCHAR(256) NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  idx INT NOT NULL,
  flag_type VARCHAR(128) NOT NULL,
  detail VARCHAR(4000) NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  token_index INT NOT NULL,
  spans_json VARCHAR NOT NULL,
  -- the token (or text) the flag is about, lower-cased, and its attribution: for the overview
  token VARCHAR(256),
  attribution DOUBLE PRECISION,
  received_at_ms BIGINT NOT NULL,
  PRIMARY KEY (item_id, idx)
);
CREATE INDEX item_flags_type ON item_flags (flag_type, item_id);
CREATE INDEX item_flags_received ON item_flags (received_at_ms);

-- Every reviewer action written to candor.feedback by this dashboard.
CREATE TABLE reviews (
  feedback_id VARCHAR(36) PRIMARY KEY,
  item_id VARCHAR(256) NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  reviewer VARCHAR(64) NOT NULL,
  action VARCHAR(32) NOT NULL,
  label VARCHAR(128),
  spans_json VARCHAR NOT NULL,
  created_at_ms BIGINT NOT NULL,
  retracted_at_ms BIGINT
);
CREATE INDEX reviews_item ON reviews (item_id, created_at_ms);

-- One row per prediction id seen on candor.predictions (idempotent), for flag rates.
CREATE TABLE predictions_seen (
  id VARCHAR(256) PRIMARY KEY,
  model_version VARCHAR(128) NOT NULL,
  label VARCHAR(128) NOT NULL,
  flagged BOOLEAN NOT NULL,
  received_at_ms BIGINT NOT NULL
);
CREATE INDEX predictions_seen_received ON predictions_seen (received_at_ms);

-- Full-text search: the distinct lower-cased words (letters and digits) of each item's text.
CREATE TABLE item_terms (
  term VARCHAR(64) NOT NULL,
  item_id VARCHAR(256) NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  PRIMARY KEY (term, item_id)
);
CREATE INDEX item_terms_item ON item_terms (item_id);
