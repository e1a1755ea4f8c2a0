-- Instances taken out of traffic: by hand (offline) or before a stop (draining). An instance without a
-- row is online; readiness alone decides whether it serves. The row outlives restarts of Berth and of
-- the instance (same id), and goes with its app.
CREATE TABLE instance_traffic (
  app       VARCHAR(63)  NOT NULL REFERENCES apps (name) ON DELETE CASCADE,
  instance  VARCHAR(80)  NOT NULL,
  state     VARCHAR(16)  NOT NULL,
  since     TIMESTAMP WITH TIME ZONE NOT NULL,
  actor     VARCHAR(255),
  PRIMARY KEY (app, instance)
);
