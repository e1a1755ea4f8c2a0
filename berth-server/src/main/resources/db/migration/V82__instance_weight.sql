-- Instance weights set by hand: the share of new requests the gateway gives an instance, 0 to 100.
-- An instance without a row weighs 100. 0 keeps it listed as ready (discovery, DNS) but the gateway
-- sends it nothing while another endpoint weighs more. The row outlives restarts of Berth and of the
-- instance (same id) and releases, and goes with its app.
CREATE TABLE instance_weight (
  app       VARCHAR(63)  NOT NULL REFERENCES apps (name) ON DELETE CASCADE,
  instance  VARCHAR(80)  NOT NULL,
  weight    INTEGER      NOT NULL,
  since     TIMESTAMP WITH TIME ZONE NOT NULL,
  actor     VARCHAR(255),
  PRIMARY KEY (app, instance)
);
