-- Machine pools: named node sets per cluster, each a label selector (JSON object of label =
-- value, all of which a node must carry) and an optional taint (JSON {key, value, effect}) that
-- only the pool's apps tolerate. Portable between H2 2.x and PostgreSQL 15.

CREATE TABLE pools (
  cluster       VARCHAR(63)  NOT NULL,
  name          VARCHAR(63)  NOT NULL,
  selector_json TEXT         NOT NULL,
  taint_json    TEXT,
  updated_by    VARCHAR(200) NOT NULL,
  updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (cluster, name)
);
