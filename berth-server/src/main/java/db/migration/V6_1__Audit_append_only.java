package db.migration;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The database's own guard that keeps the audit log append-only: a trigger refuses every UPDATE and
 * DELETE (and, on PostgreSQL, TRUNCATE) of {@code audit}. A Java migration because the trigger is
 * written differently on each database Berth runs on.
 */
public class V6_1__Audit_append_only extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws Exception {
    String product = context.getConnection().getMetaData().getDatabaseProductName();
    try (Statement s = context.getConnection().createStatement()) {
      if (product.toLowerCase(java.util.Locale.ROOT).contains("postgres")) {
        s.execute(
            """
            CREATE FUNCTION audit_append_only() RETURNS trigger AS $$
            BEGIN
              RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP;
            END
            $$ LANGUAGE plpgsql""");
        s.execute(
            "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only()");
        s.execute(
            "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()");
      } else if (product.equalsIgnoreCase("H2")) {
        s.execute(
            "CREATE TRIGGER audit_append_only BEFORE UPDATE, DELETE ON audit FOR EACH ROW CALL '"
                + dev.berth.server.audit.AppendOnlyTrigger.class.getName()
                + "'");
      }
    }
  }
}
