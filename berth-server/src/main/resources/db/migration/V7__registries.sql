-- Image centre (MISSION F1-F3, F5): registries with sealed credentials, replication rules, and one
-- job record per image copied.

CREATE TABLE registries (
    name             VARCHAR(63)   NOT NULL PRIMARY KEY,
    url              VARCHAR(2048) NOT NULL,
    host             VARCHAR(255)  NOT NULL,
    username         VARCHAR(255),
    sealed_password  VARCHAR(4096),
    created_by       VARCHAR(255)  NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX registries_host ON registries (host);

CREATE TABLE replication_rules (
    name             VARCHAR(63)   NOT NULL PRIMARY KEY,
    source_registry  VARCHAR(63)   NOT NULL,
    filter           VARCHAR(255)  NOT NULL,
    targets_json     TEXT          NOT NULL,
    enabled          BOOLEAN       NOT NULL,
    created_by       VARCHAR(255)  NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE replication_jobs (
    id               VARCHAR(40)   NOT NULL PRIMARY KEY,
    rule             VARCHAR(63)   NOT NULL,
    trigger_kind     VARCHAR(16)   NOT NULL,
    source           VARCHAR(600)  NOT NULL,
    target           VARCHAR(600)  NOT NULL,
    repository       VARCHAR(255)  NOT NULL,
    tag              VARCHAR(128)  NOT NULL,
    state            VARCHAR(16)   NOT NULL,
    digest           VARCHAR(80),
    bytes            BIGINT        NOT NULL,
    blobs_copied     INTEGER       NOT NULL,
    blobs_skipped    INTEGER       NOT NULL,
    attempts         INTEGER       NOT NULL,
    reason           VARCHAR(2048),
    pushed_at        TIMESTAMP WITH TIME ZONE,
    started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at         TIMESTAMP WITH TIME ZONE,
    duration_ms      BIGINT,
    latency_ms       BIGINT
);
-- Newest first per rule (the jobs page), and the unfinished ones after a restart.
CREATE INDEX replication_jobs_rule_started ON replication_jobs (rule, started_at, id);
CREATE INDEX replication_jobs_state ON replication_jobs (state);
