package dev.candor.dashboard.internals;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A pooled {@link DataSource} for H2 or PostgreSQL, migrated with Flyway when opened. */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private final HikariDataSource dataSource;

  private Database(HikariDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Opens the pool and applies pending migrations ({@code db/migration} on the class path).
   *
   * @param url JDBC URL ({@code jdbc:h2:...} or {@code jdbc:postgresql:...})
   * @param user user, may be empty
   * @param password password, may be empty
   * @return the open database
   */
  public static Database open(String url, String user, String password) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url);
    if (!user.isEmpty()) {
      hc.setUsername(user);
    }
    if (!password.isEmpty()) {
      hc.setPassword(password);
    }
    hc.setMaximumPoolSize(8);
    hc.setPoolName("candor-dashboard-db");
    HikariDataSource ds = new HikariDataSource(hc);
    try {
      MigrateResult r =
          Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
      LOG.info(
          "database {} at schema version {} ({} migrations applied)",
          redact(url),
          r.targetSchemaVersion != null ? r.targetSchemaVersion : r.initialSchemaVersion,
          r.migrationsExecuted);
    } catch (Exception e) {
      ds.close();
      throw new IllegalStateException("Cannot open or migrate database " + redact(url), e);
    }
    return new Database(ds);
  }

  /** The URL without any password parameter, for messages. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  /**
   * @return the pooled data source
   */
  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
