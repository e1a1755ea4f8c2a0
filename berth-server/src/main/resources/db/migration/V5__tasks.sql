-- Short-lived tasks (MISSION D1-D6): tasks, their runs, and db-scheduler's table for fire times.

CREATE TABLE tasks (
    name             VARCHAR(63)  NOT NULL PRIMARY KEY,
    team             VARCHAR(63)  NOT NULL,
    owner            VARCHAR(255) NOT NULL,
    cluster          VARCHAR(63)  NOT NULL,
    spec_json        TEXT         NOT NULL,
    trigger_json     TEXT         NOT NULL,
    mode             VARCHAR(16)  NOT NULL,
    callback_url     VARCHAR(2048),
    callback_secret  VARCHAR(512),
    timeout_seconds  INTEGER      NOT NULL,
    retries          INTEGER      NOT NULL,
    keep_on_failure  BOOLEAN      NOT NULL,
    concurrency      VARCHAR(16)  NOT NULL,
    next_number      BIGINT       NOT NULL,
    version          BIGINT       NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE runs (
    id                 VARCHAR(80)  NOT NULL PRIMARY KEY,
    task               VARCHAR(63)  NOT NULL,
    number             BIGINT       NOT NULL,
    cluster            VARCHAR(63)  NOT NULL,
    state              VARCHAR(16)  NOT NULL,
    attempts           INTEGER      NOT NULL,
    exit_code          INTEGER,
    reason             VARCHAR(32),
    message            VARCHAR(2048),
    node               VARCHAR(255),
    host_ip            VARCHAR(64),
    reclaimed          BOOLEAN      NOT NULL,
    scheduled_at       TIMESTAMP WITH TIME ZONE,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at         TIMESTAMP WITH TIME ZONE,
    ended_at           TIMESTAMP WITH TIME ZONE,
    callback_status    VARCHAR(512),
    callback_attempts  INTEGER      NOT NULL,
    CONSTRAINT runs_one_per_fire UNIQUE (task, scheduled_at)
);
-- Newest first, overall and per task; by state for the controller and the filters.
CREATE INDEX runs_created ON runs (created_at, id);
CREATE INDEX runs_task_created ON runs (task, created_at, id);
CREATE INDEX runs_state_created ON runs (state, created_at, id);

CREATE TABLE scheduled_tasks (
    task_name             VARCHAR(100) NOT NULL,
    task_instance         VARCHAR(100) NOT NULL,
    task_data             BYTEA,
    execution_time        TIMESTAMP WITH TIME ZONE NOT NULL,
    picked                BOOLEAN      NOT NULL,
    picked_by             VARCHAR(50),
    last_success          TIMESTAMP WITH TIME ZONE,
    last_failure          TIMESTAMP WITH TIME ZONE,
    consecutive_failures  INTEGER,
    last_heartbeat        TIMESTAMP WITH TIME ZONE,
    version               BIGINT       NOT NULL,
    priority              SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_time ON scheduled_tasks (priority, execution_time);
