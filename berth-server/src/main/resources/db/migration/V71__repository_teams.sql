-- Repositories per team: a registry's repositories under a prefix belong to one team. Members see
-- only their teams' repositories (and those no prefix claims); builds push only to their team's.
CREATE TABLE repository_teams (
    registry    VARCHAR(63)  NOT NULL REFERENCES registries (name) ON DELETE CASCADE,
    prefix      VARCHAR(255) NOT NULL,
    team        VARCHAR(63)  NOT NULL,
    created_by  VARCHAR(255) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (registry, prefix)
);
