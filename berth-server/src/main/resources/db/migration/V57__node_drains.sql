-- Node drains: the latest drain per node with its deadline, surge, state and the progress of each
-- instance (phase, surge added, blocking reason) as JSON; a restarted Berth resumes the running
-- ones. Portable between H2 2.x and PostgreSQL 15.

CREATE TABLE node_drains (
  cluster     VARCHAR(63)  NOT NULL,
  node        VARCHAR(253) NOT NULL,
  surge       BOOLEAN      NOT NULL,
  started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  deadline    TIMESTAMP WITH TIME ZONE NOT NULL,
  state       VARCHAR(30)  NOT NULL,
  ended_at    TIMESTAMP WITH TIME ZONE,
  actor       VARCHAR(200) NOT NULL,
  items_json  TEXT         NOT NULL,
  PRIMARY KEY (cluster, node)
);
CREATE INDEX node_drains_state_idx ON node_drains (state);
