-- Each Berth's last sign of life (written every berth.terminal.check-period), and the web terminals
-- open now, each with the Berth that holds it: a Berth that starts again closes in the audit log the
-- terminals it held when it stopped (or that a Berth gone for long held). Portable between H2 2.x
-- and PostgreSQL 15.
CREATE TABLE berth_instances (
  id          VARCHAR(255)             PRIMARY KEY,
  started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  last_seen   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE terminal_sessions (
  id              VARCHAR(64)              PRIMARY KEY,
  actor           VARCHAR(255)             NOT NULL,
  via             VARCHAR(255),
  target_kind     VARCHAR(32)              NOT NULL,
  target_name     VARCHAR(255)             NOT NULL,
  target_owner    VARCHAR(255),
  team            VARCHAR(255),
  cluster         VARCHAR(255)             NOT NULL,
  opened_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  berth_instance  VARCHAR(255)             NOT NULL
);
CREATE INDEX terminal_sessions_berth_idx ON terminal_sessions (berth_instance);
