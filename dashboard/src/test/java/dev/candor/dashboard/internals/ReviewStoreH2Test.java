package dev.candor.dashboard.internals;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** {@link ReviewStoreContract} on an embedded H2 file database, migrated by Flyway. */
class ReviewStoreH2Test extends ReviewStoreContract {
  @TempDir Path dir;
  private Database db;

  @BeforeEach
  void open() {
    db = Database.open("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath(), "", "");
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Override
  ReviewStore store() {
    return new ReviewStore(db.dataSource());
  }
}
