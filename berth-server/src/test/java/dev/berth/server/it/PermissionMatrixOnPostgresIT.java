package dev.berth.server.it;

import java.util.Map;

/**
 * The whole permission matrix (every endpoint, every caller, the audit of each change) with Berth
 * on PostgreSQL.
 */
class PermissionMatrixOnPostgresIT extends PermissionMatrixIT {
  @Override
  int number() {
    return 134;
  }

  @Override
  Map<String, String> settings(Map<String, String> settings) {
    return LocalBerth.onPostgres(settings);
  }
}
