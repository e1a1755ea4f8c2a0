package dev.berth.server.audit;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Trigger;

/** H2's side of the audit log's database guard: refuses every UPDATE and DELETE of a row. */
public class AppendOnlyTrigger implements Trigger {
  @Override
  public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
    throw new SQLException(
        "the audit log is append-only: " + (newRow == null ? "DELETE" : "UPDATE") + " refused");
  }
}
