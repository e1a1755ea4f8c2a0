-- Builds belong to a team (issue 7 on image builds): who may start them (build.create, developers) and
-- who sees them (build.read, viewers), like apps. Builds of a build template (platform base images,
-- admins') have no team and are everyone's to read. Builds made before teams go to team 'default'.
ALTER TABLE builds ADD COLUMN team VARCHAR(63);
UPDATE builds SET team = 'default' WHERE for_template IS NULL;
CREATE INDEX builds_team ON builds (team, id);
