-- Model versions announced on candor.model-updates, with the trainer's gate figures, for the
-- overview. Metrics are kept as text "name=value" lines (sorted), readable on H2 and PostgreSQL.
CREATE TABLE model_versions (
  version        VARCHAR(200)  PRIMARY KEY,
  model_name     VARCHAR(200)  NOT NULL,
  metrics        VARCHAR(8000) NOT NULL,
  created_at_ms  BIGINT        NOT NULL
);
