package dev.candor.dashboard.internals;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link ReviewStoreContract} on PostgreSQL, through the same code and migrations. Runs when {@code
 * CANDOR_TEST_PG_URL} names a database (scripts/ci-postgres.sh starts a throwaway cluster and
 * prints it); each test gets its own schema, dropped afterwards.
 */
class ReviewStorePostgresTest extends ReviewStoreContract {
  private Database db;
  private String schema;
  private String baseUrl;

  @BeforeEach
  void open() throws Exception {
    baseUrl = System.getenv("CANDOR_TEST_PG_URL");
    assumeTrue(
        baseUrl != null && !baseUrl.isBlank(),
        "CANDOR_TEST_PG_URL is not set: PostgreSQL tests skipped (run scripts/ci-postgres.sh)");
    schema = "t_" + UUID.randomUUID().toString().replace("-", "");
    String sep = baseUrl.contains("?") ? "&" : "?";
    db = Database.open(baseUrl + sep + "currentSchema=" + schema, "", "");
  }

  @AfterEach
  void close() throws Exception {
    if (db == null) {
      return;
    }
    try (Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA " + schema + " CASCADE");
    } finally {
      db.close();
    }
  }

  @Override
  ReviewStore store() {
    return new ReviewStore(db.dataSource());
  }
}
