-- Traffic mirroring through the gateway: a sample of an app's requests copied to another app. One row
-- per mirrored app; a mirror stopped by its latency guard stays, with the reason, until it is removed
-- or set again. Goes with its app.
CREATE TABLE app_mirrors (
  app                   VARCHAR(63)  NOT NULL PRIMARY KEY REFERENCES apps (name) ON DELETE CASCADE,
  target                VARCHAR(63)  NOT NULL,
  port                  VARCHAR(63)  NOT NULL,
  percent               INTEGER      NOT NULL,
  max_body_bytes        BIGINT       NOT NULL,
  max_p99_rise_percent  INTEGER      NOT NULL,
  baseline_p99_seconds  DOUBLE PRECISION,
  active                BOOLEAN      NOT NULL,
  stopped_reason        VARCHAR(1000),
  created_by            VARCHAR(255) NOT NULL,
  updated_at            TIMESTAMP WITH TIME ZONE NOT NULL
);
