package dev.candor.dashboard.internals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.dashboard.internals.Model.QueueFilter;
import dev.candor.dashboard.internals.Model.QueuePage;
import dev.candor.dashboard.internals.Model.QueueRow;
import dev.candor.dashboard.internals.Model.RateBucket;
import dev.candor.dashboard.internals.Model.Review;
import dev.candor.dashboard.internals.Model.Reviewed;
import dev.candor.dashboard.internals.Model.Span;
import dev.candor.dashboard.internals.Model.StoredFlag;
import dev.candor.dashboard.internals.Model.StoredItem;
import dev.candor.dashboard.internals.Model.Tok;
import dev.candor.dashboard.internals.Model.TokenStat;
import dev.candor.dashboard.internals.Model.Word;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The dashboard's database access: idempotent upsert of flagged items by text id, the queue with
 * filters, search and pagination, the item view, reviewer actions and the overview statistics.
 * Plain JDBC with portable SQL, so H2 and PostgreSQL run the same statements.
 */
public final class ReviewStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SNIPPET_CHARS = 160;

  private final DataSource ds;

  /**
   * @param ds a migrated data source
   */
  public ReviewStore(DataSource ds) {
    this.ds = ds;
  }

  /** What an upsert did. */
  public enum Upsert {
    INSERTED,
    UPDATED
  }

  /**
   * Inserts or replaces a flagged item (its flags too); the first-received time and the review
   * state are kept on replacement, so re-delivery is harmless.
   *
   * @param item a validated item (see {@link FlagValidator})
   * @param nowMs receive time for a new item
   * @return whether the id was new
   * @throws SQLException on database failure
   */
  public Upsert upsert(StoredItem item, long nowMs) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        Upsert r = upsert(c, item, nowMs);
        c.commit();
        return r;
      } catch (SQLException e) {
        c.rollback();
        if (!"23505".equals(e.getSQLState())) {
          throw e;
        }
        // Another writer inserted the id between our UPDATE and INSERT: now it updates.
        Upsert r = upsert(c, item, nowMs);
        c.commit();
        return r;
      }
    }
  }

  /**
   * Upserts many items in one transaction (bulk loads).
   *
   * @param items validated items
   * @param nowMs receive time of the first; each next one gets one more millisecond
   * @throws SQLException on database failure
   */
  public void upsertAll(List<StoredItem> items, long nowMs) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        long t = nowMs;
        for (StoredItem item : items) {
          upsert(c, item, t++);
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private Upsert upsert(Connection c, StoredItem it, long nowMs) throws SQLException {
    String flagTypes =
        String.join(", ", it.flags().stream().map(StoredFlag::type).distinct().toList());
    if (flagTypes.length() > 2000) {
      flagTypes = flagTypes.substring(0, 2000);
    }
    Upsert result;
    long receivedAt;
    try (PreparedStatement up =
        c.prepareStatement(
            "UPDATE items SET model_version=?, label=?, label_score=?, snippet=?, flag_types=?,"
                + " submitted_at_ms=? WHERE id=?")) {
      int i = bindHead(up, it, flagTypes);
      up.setString(i, it.id());
      result = up.executeUpdate() == 0 ? Upsert.INSERTED : Upsert.UPDATED;
    }
    if (result == Upsert.INSERTED) {
      try (PreparedStatement ins =
          c.prepareStatement(
              "INSERT INTO items (model_version, label, label_score, snippet, flag_types,"
                  + " submitted_at_ms, id, received_at_ms) VALUES (?,?,?,?,?,?,?,?)")) {
        int i = bindHead(ins, it, flagTypes);
        ins.setString(i++, it.id());
        ins.setLong(i, nowMs);
        ins.executeUpdate();
      }
      try (PreparedStatement ins =
          c.prepareStatement(
              "INSERT INTO item_bodies (labels_json, scores_json, explained_label_index,"
                  + " text_value, text_sha256, tokens_json, words_json, completeness_residual,"
                  + " truncated, id) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
        int i = bindBody(ins, it);
        ins.setString(i, it.id());
        ins.executeUpdate();
      }
      receivedAt = nowMs;
    } else {
      try (PreparedStatement up =
          c.prepareStatement(
              "UPDATE item_bodies SET labels_json=?, scores_json=?, explained_label_index=?,"
                  + " text_value=?, text_sha256=?, tokens_json=?, words_json=?,"
                  + " completeness_residual=?, truncated=? WHERE id=?")) {
        int i = bindBody(up, it);
        up.setString(i, it.id());
        up.executeUpdate();
      }
      try (PreparedStatement del = c.prepareStatement("DELETE FROM item_flags WHERE item_id=?")) {
        del.setString(1, it.id());
        del.executeUpdate();
      }
      try (PreparedStatement del = c.prepareStatement("DELETE FROM item_terms WHERE item_id=?")) {
        del.setString(1, it.id());
        del.executeUpdate();
      }
      try (PreparedStatement q =
          c.prepareStatement("SELECT received_at_ms FROM items WHERE id=?")) {
        q.setString(1, it.id());
        try (ResultSet rs = q.executeQuery()) {
          rs.next();
          receivedAt = rs.getLong(1);
        }
      }
    }
    if (it.text() != null) {
      try (PreparedStatement t =
          c.prepareStatement("INSERT INTO item_terms (term, item_id) VALUES (?,?)")) {
        for (String term : terms(it.text(), MAX_TERMS_PER_ITEM)) {
          t.setString(1, term);
          t.setString(2, it.id());
          t.addBatch();
        }
        t.executeBatch();
      }
    }
    try (PreparedStatement f =
        c.prepareStatement(
            "INSERT INTO item_flags (item_id, idx, flag_type, detail, score, token_index,"
                + " spans_json, token, attribution, received_at_ms) VALUES"
                + " (?,?,?,?,?,?,?,?,?,?)")) {
      int idx = 0;
      for (StoredFlag fl : it.flags()) {
        f.setString(1, it.id());
        f.setInt(2, idx++);
        f.setString(3, fl.type());
        f.setString(4, fl.detail());
        f.setDouble(5, fl.score());
        f.setInt(6, fl.tokenIndex());
        f.setString(7, json(fl.spans()));
        FlagToken ft = flagToken(it, fl);
        if (ft == null) {
          f.setNull(8, Types.VARCHAR);
          f.setNull(9, Types.DOUBLE);
        } else {
          f.setString(8, ft.token);
          f.setDouble(9, ft.attribution);
        }
        f.setLong(10, receivedAt);
        f.addBatch();
      }
      f.executeBatch();
    }
    return result;
  }

  private record FlagToken(String token, double attribution) {}

  /** The token a flag points at (by index, else the words its first span covers). */
  private static FlagToken flagToken(StoredItem it, StoredFlag fl) {
    if (fl.tokenIndex() >= 0 && fl.tokenIndex() < it.tokens().size()) {
      Tok t = it.tokens().get(fl.tokenIndex());
      return new FlagToken(cut(t.token().toLowerCase(Locale.ROOT), 256), t.attribution());
    }
    if (!fl.spans().isEmpty() && it.text() != null) {
      Span s = fl.spans().get(0);
      double sum = 0;
      for (Word w : it.words()) {
        if (w.start() < s.end() && w.end() > s.start()) {
          sum += w.attribution();
        }
      }
      return new FlagToken(
          cut(it.text().substring(s.start(), s.end()).toLowerCase(Locale.ROOT), 256), sum);
    }
    return null;
  }

  private static String cut(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n);
  }

  private static int bindHead(PreparedStatement ps, StoredItem it, String flagTypes)
      throws SQLException {
    int i = 1;
    ps.setString(i++, it.modelVersion());
    ps.setString(i++, it.label());
    ps.setDouble(i++, it.labelScore());
    ps.setString(i++, it.text() == null ? null : cut(it.text(), SNIPPET_CHARS));
    ps.setString(i++, flagTypes);
    ps.setLong(i++, it.submittedAtMs());
    return i;
  }

  private static int bindBody(PreparedStatement ps, StoredItem it) throws SQLException {
    int i = 1;
    ps.setString(i++, json(it.labels()));
    ps.setString(i++, json(it.scores()));
    ps.setInt(i++, it.explainedLabelIndex());
    ps.setString(i++, it.text());
    ps.setString(i++, it.textSha256());
    ps.setString(i++, json(it.tokens()));
    ps.setString(i++, json(it.words()));
    ps.setDouble(i++, it.completenessResidual());
    ps.setBoolean(i++, it.truncated());
    return i;
  }

  /**
   * Records a prediction seen on candor.predictions (idempotent by id).
   *
   * @throws SQLException on database failure
   */
  public void recordPrediction(
      String id, String modelVersion, String label, boolean flagged, long nowMs)
      throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement up =
            c.prepareStatement(
                "UPDATE predictions_seen SET model_version=?, label=?, flagged=? WHERE id=?")) {
      up.setString(1, modelVersion);
      up.setString(2, label);
      up.setBoolean(3, flagged);
      up.setString(4, id);
      if (up.executeUpdate() == 0) {
        try (PreparedStatement ins =
            c.prepareStatement(
                "INSERT INTO predictions_seen (id, model_version, label, flagged, received_at_ms)"
                    + " VALUES (?,?,?,?,?)")) {
          ins.setString(1, id);
          ins.setString(2, modelVersion);
          ins.setString(3, label);
          ins.setBoolean(4, flagged);
          ins.setLong(5, nowMs);
          ins.executeUpdate();
        } catch (SQLException e) {
          if (!"23505".equals(e.getSQLState())) {
            throw e;
          }
        }
      }
    }
  }

  /**
   * One page of the queue, newest first.
   *
   * @throws SQLException on database failure
   */
  public QueuePage queue(QueueFilter f) throws SQLException {
    StringBuilder where = new StringBuilder();
    List<Object> args = new ArrayList<>();
    if (notEmpty(f.flagType())) {
      where.append(" AND i.id IN (SELECT fl.item_id FROM item_flags fl WHERE fl.flag_type = ?)");
      args.add(f.flagType());
    }
    if (notEmpty(f.label())) {
      where.append(" AND i.label = ?");
      args.add(f.label());
    }
    if (notEmpty(f.modelVersion())) {
      where.append(" AND i.model_version = ?");
      args.add(f.modelVersion());
    }
    if (f.reviewed() == Reviewed.YES) {
      where.append(" AND i.review_action IS NOT NULL");
    } else if (f.reviewed() == Reviewed.NO) {
      where.append(" AND i.review_action IS NULL");
    }
    if (notEmpty(f.query())) {
      // Every word of the query must be a word of the text; "abc*" matches words starting abc.
      List<String> terms = new ArrayList<>();
      List<Boolean> prefixes = new ArrayList<>();
      for (String q : f.query().strip().split("\\s+")) {
        List<String> ts = terms(q, MAX_QUERY_TERMS);
        for (int k = 0; k < ts.size() && terms.size() < MAX_QUERY_TERMS; k++) {
          terms.add(ts.get(k));
          prefixes.add(q.endsWith("*") && k == ts.size() - 1);
        }
      }
      if (terms.isEmpty()) {
        where.append(" AND 1=0");
      }
      for (int k = 0; k < terms.size(); k++) {
        if (prefixes.get(k)) {
          where.append(
              " AND i.id IN (SELECT t.item_id FROM item_terms t WHERE t.term LIKE ? ESCAPE '!')");
          args.add(likeEscape(terms.get(k)) + "%");
        } else {
          where.append(" AND i.id IN (SELECT t.item_id FROM item_terms t WHERE t.term = ?)");
          args.add(terms.get(k));
        }
      }
    }
    if (where.length() > 0) {
      where.replace(0, " AND".length(), " WHERE");
    }
    try (Connection c = ds.getConnection()) {
      long total;
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM items i" + where)) {
        bind(ps, args);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          total = rs.getLong(1);
        }
      }
      List<QueueRow> rows = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT i.id, i.model_version, i.label, i.label_score, i.snippet, i.flag_types,"
                  + " i.received_at_ms, i.review_action FROM items i"
                  + where
                  + " ORDER BY i.received_at_ms DESC, i.id DESC LIMIT ? OFFSET ?")) {
        List<Object> a = new ArrayList<>(args);
        a.add(f.pageSize());
        a.add((long) (f.page() - 1) * f.pageSize());
        bind(ps, a);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(
                new QueueRow(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getDouble(4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getLong(7),
                    rs.getString(8)));
          }
        }
      }
      return new QueuePage(rows, total, f.page(), f.pageSize());
    }
  }

  /** Most distinct words indexed per text. */
  static final int MAX_TERMS_PER_ITEM = 1000;

  /** Most words a search uses. */
  public static final int MAX_QUERY_TERMS = 8;

  /**
   * The distinct lower-cased words of a text: maximal runs of letters and digits, at most 64 chars
   * each (longer runs are cut), in order of first appearance.
   *
   * @param text the text
   * @param max most terms returned
   * @return the terms
   */
  public static List<String> terms(String text, int max) {
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i <= text.length() && out.size() < max; ) {
      int cp = i < text.length() ? text.codePointAt(i) : ' ';
      if (Character.isLetterOrDigit(cp)) {
        if (cur.length() < 64) {
          cur.appendCodePoint(cp);
        }
      } else if (cur.length() > 0) {
        out.add(cur.toString().toLowerCase(Locale.ROOT));
        cur.setLength(0);
      }
      i += Character.charCount(cp);
    }
    return new ArrayList<>(out);
  }

  private static String likeEscape(String s) {
    return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      ps.setObject(i + 1, args.get(i));
    }
  }

  /**
   * One item with its flags and reviews.
   *
   * @throws SQLException on database failure
   */
  public Optional<StoredItem> item(String id) throws SQLException {
    try (Connection c = ds.getConnection()) {
      List<StoredFlag> flags = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT flag_type, detail, score, token_index, spans_json FROM item_flags"
                  + " WHERE item_id=? ORDER BY idx")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            flags.add(
                new StoredFlag(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getDouble(3),
                    rs.getInt(4),
                    parse(rs.getString(5), new TypeReference<List<Span>>() {})));
          }
        }
      }
      List<Review> reviews = reviews(c, id);
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT i.id, i.model_version, i.label, i.label_score, b.labels_json,"
                  + " b.scores_json, b.explained_label_index, b.text_value, b.text_sha256,"
                  + " b.tokens_json, b.words_json, b.completeness_residual, b.truncated,"
                  + " i.submitted_at_ms, i.received_at_ms, i.review_action, i.reviewed_by FROM"
                  + " items i JOIN item_bodies b ON b.id = i.id WHERE i.id=?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          return Optional.of(
              new StoredItem(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getDouble(4),
                  parse(rs.getString(5), new TypeReference<List<String>>() {}),
                  parse(rs.getString(6), new TypeReference<List<Double>>() {}),
                  rs.getInt(7),
                  rs.getString(8),
                  rs.getString(9),
                  parse(rs.getString(10), new TypeReference<List<Tok>>() {}),
                  parse(rs.getString(11), new TypeReference<List<Word>>() {}),
                  rs.getDouble(12),
                  rs.getBoolean(13),
                  rs.getLong(14),
                  rs.getLong(15),
                  flags,
                  rs.getString(16),
                  rs.getString(17),
                  reviews));
        }
      }
    }
  }

  private static List<Review> reviews(Connection c, String itemId) throws SQLException {
    List<Review> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT feedback_id, item_id, reviewer, action, label, spans_json, created_at_ms,"
                + " retracted_at_ms FROM reviews WHERE item_id=? ORDER BY created_at_ms,"
                + " feedback_id")) {
      ps.setString(1, itemId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long r = rs.getLong(8);
          Long retracted = rs.wasNull() ? null : r;
          out.add(
              new Review(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  parse(rs.getString(6), new TypeReference<List<Span>>() {}),
                  rs.getLong(7),
                  retracted));
        }
      }
    }
    return out;
  }

  /**
   * Stores a reviewer action (already written to the feedback topic) and updates the item's review
   * state. A RETRACT withdraws the reviewer's earlier, not yet retracted actions on the item.
   *
   * @throws SQLException on database failure
   */
  public void recordReview(Review r) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        if ("RETRACT".equals(r.action())) {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE reviews SET retracted_at_ms=? WHERE item_id=? AND reviewer=? AND"
                      + " retracted_at_ms IS NULL AND action <> 'RETRACT'")) {
            ps.setLong(1, r.createdAtMs());
            ps.setString(2, r.itemId());
            ps.setString(3, r.reviewer());
            ps.executeUpdate();
          }
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO reviews (feedback_id, item_id, reviewer, action, label, spans_json,"
                    + " created_at_ms) VALUES (?,?,?,?,?,?,?)")) {
          ps.setString(1, r.feedbackId());
          ps.setString(2, r.itemId());
          ps.setString(3, r.reviewer());
          ps.setString(4, r.action());
          ps.setString(5, r.label());
          ps.setString(6, json(r.spans()));
          ps.setLong(7, r.createdAtMs());
          ps.executeUpdate();
        }
        // The item's state is its latest standing (not retracted) action, by any reviewer.
        String action = null;
        String by = null;
        Long at = null;
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT action, reviewer, created_at_ms FROM reviews WHERE item_id=? AND"
                    + " retracted_at_ms IS NULL AND action <> 'RETRACT' ORDER BY created_at_ms"
                    + " DESC, feedback_id DESC LIMIT 1")) {
          ps.setString(1, r.itemId());
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              action = rs.getString(1);
              by = rs.getString(2);
              at = rs.getLong(3);
            }
          }
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE items SET review_action=?, reviewed_by=?, reviewed_at_ms=? WHERE id=?")) {
          ps.setString(1, action);
          ps.setString(2, by);
          ps.setObject(3, at, Types.BIGINT);
          ps.setString(4, r.itemId());
          ps.executeUpdate();
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * Distinct values of a column for the filter menus.
   *
   * @param what one of "flag_type", "label", "model_version"
   * @throws SQLException on database failure
   */
  public List<String> distinct(String what) throws SQLException {
    String sql =
        switch (what) {
          case "flag_type" -> "SELECT DISTINCT flag_type FROM item_flags ORDER BY 1";
          case "label" -> "SELECT DISTINCT label FROM items ORDER BY 1";
          case "model_version" -> "SELECT DISTINCT model_version FROM items ORDER BY 1";
          default -> throw new IllegalArgumentException(what);
        };
    List<String> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next() && out.size() < 200) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /**
   * Flags per detector per time bucket since {@code sinceMs}.
   *
   * @throws SQLException on database failure
   */
  public List<RateBucket> flagsByDetector(long sinceMs, long bucketMs) throws SQLException {
    List<RateBucket> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT flag_type, b, COUNT(*) FROM (SELECT flag_type, (received_at_ms / ?) * ?"
                    + " AS b FROM item_flags WHERE received_at_ms >= ?) t GROUP BY flag_type, b"
                    + " ORDER BY b, flag_type")) {
      ps.setLong(1, bucketMs);
      ps.setLong(2, bucketMs);
      ps.setLong(3, sinceMs);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new RateBucket(rs.getString(1), rs.getLong(2), rs.getLong(3)));
        }
      }
    }
    return out;
  }

  /**
   * Predictions seen per time bucket since {@code sinceMs} (bucket start → count).
   *
   * @throws SQLException on database failure
   */
  public java.util.SortedMap<Long, Long> predictionsPerBucket(long sinceMs, long bucketMs)
      throws SQLException {
    java.util.SortedMap<Long, Long> out = new java.util.TreeMap<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT b, COUNT(*) FROM (SELECT (received_at_ms / ?) * ? AS b FROM"
                    + " predictions_seen WHERE received_at_ms >= ?) t GROUP BY b")) {
      ps.setLong(1, bucketMs);
      ps.setLong(2, bucketMs);
      ps.setLong(3, sinceMs);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getLong(1), rs.getLong(2));
        }
      }
    }
    return out;
  }

  /**
   * Tokens that flags point at most often, with their mean attribution there.
   *
   * @throws SQLException on database failure
   */
  /**
   * Records (or replaces) a model version announced on the model-updates topic.
   *
   * @throws SQLException on database failure
   */
  public void recordModelVersion(Model.ModelVersion v) throws SQLException {
    StringBuilder metrics = new StringBuilder();
    new java.util.TreeMap<>(v.metrics())
        .forEach((k, x) -> metrics.append(k).append('=').append(x).append('\n'));
    try (Connection c = ds.getConnection();
        PreparedStatement up =
            c.prepareStatement(
                "UPDATE model_versions SET model_name=?, metrics=?, created_at_ms=? WHERE"
                    + " version=?")) {
      up.setString(1, v.modelName());
      up.setString(2, metrics.toString());
      up.setLong(3, v.createdAtMs());
      up.setString(4, v.version());
      if (up.executeUpdate() == 0) {
        try (PreparedStatement ins =
            c.prepareStatement(
                "INSERT INTO model_versions (version, model_name, metrics, created_at_ms)"
                    + " VALUES (?,?,?,?)")) {
          ins.setString(1, v.version());
          ins.setString(2, v.modelName());
          ins.setString(3, metrics.toString());
          ins.setLong(4, v.createdAtMs());
          ins.executeUpdate();
        } catch (SQLException e) {
          if (!"23505".equals(e.getSQLState())) { // a concurrent insert of the same version
            throw e;
          }
        }
      }
    }
  }

  /**
   * The newest model versions, newest first.
   *
   * @throws SQLException on database failure
   */
  public List<Model.ModelVersion> modelVersions(int limit) throws SQLException {
    List<Model.ModelVersion> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT version, model_name, metrics, created_at_ms FROM model_versions"
                    + " ORDER BY created_at_ms DESC, version DESC LIMIT ?")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Map<String, Double> metrics = new java.util.LinkedHashMap<>();
          for (String line : rs.getString(3).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
              metrics.put(line.substring(0, eq), Double.parseDouble(line.substring(eq + 1)));
            }
          }
          out.add(new Model.ModelVersion(rs.getString(1), rs.getString(2), metrics, rs.getLong(4)));
        }
      }
    }
    return out;
  }

  public List<TokenStat> topTokens(int limit) throws SQLException {
    List<TokenStat> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT token, COUNT(*), AVG(attribution) FROM item_flags WHERE token IS NOT NULL"
                    + " GROUP BY token ORDER BY 2 DESC, 1 LIMIT ?")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new TokenStat(rs.getString(1), rs.getLong(2), rs.getDouble(3)));
        }
      }
    }
    return out;
  }

  /**
   * Counts rows of a table, for the status page.
   *
   * @param table one of items, item_flags, reviews, predictions_seen
   * @throws SQLException on database failure
   */
  public long count(String table) throws SQLException {
    if (!List.of("items", "item_flags", "reviews", "predictions_seen").contains(table)) {
      throw new IllegalArgumentException(table);
    }
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T parse(String s, TypeReference<T> type) {
    try {
      return JSON.readValue(s, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt JSON column", e);
    }
  }
}
