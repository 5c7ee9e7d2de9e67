package dev.candor.dashboard;

import dev.candor.dashboard.internals.Database;
import dev.candor.dashboard.internals.Model.Span;
import dev.candor.dashboard.internals.Model.StoredFlag;
import dev.candor.dashboard.internals.Model.StoredItem;
import dev.candor.dashboard.internals.Model.Tok;
import dev.candor.dashboard.internals.Model.Word;
import dev.candor.dashboard.internals.ReviewStore;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load test of the review store and pages: fills a database with generated flagged items (synthetic
 * texts from a fixed vocabulary, seeded; clearly not production data) and times HTTP requests
 * against a running {@link Dashboard} on it.
 */
public final class DashboardBench {
  /** A word present in about one text in six. */
  public static final String COMMON_WORD = "people";

  /** A word present in about one text in two thousand. */
  public static final String RARE_WORD = "term4242";

  private static final String[] COMMON = {
    "the", "a", "you", "they", "we", "are", "is", "not", "all", "go", "back", "home", "great",
    "day", "those", "these", "really", "never", "always", "what", "why", "how", "because", "so",
    "very", "good", "bad", "stupid", "lovely", "come", "from", "where", "here", "there", "again",
    "time", "world", "country", "city", "news", "today", "think", "know", "want", "people"
  };
  private static final String[] TYPES = {
    "special-token-mass", "identity-term", "reviewer-contradiction"
  };

  private DashboardBench() {}

  /**
   * Fills the database with {@code n} generated flagged items (ids {@code bench-0..n-1}).
   *
   * @param dbUrl JDBC URL
   * @param user database user, may be empty
   * @param password database password, may be empty
   * @param n items to write
   * @param seed random seed
   * @param progress called with the number written so far, after each batch
   * @throws SQLException on database failure
   */
  public static void fill(
      String dbUrl, String user, String password, int n, long seed, IntConsumer progress)
      throws SQLException {
    Random rnd = new Random(seed);
    try (Database db = Database.open(dbUrl, user, password)) {
      ReviewStore store = new ReviewStore(db.dataSource());
      long now = System.currentTimeMillis() - n;
      List<StoredItem> batch = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        batch.add(item("bench-" + i, rnd));
        if (batch.size() == 1000 || i == n - 1) {
          store.upsertAll(batch, now + i - batch.size() + 1);
          batch.clear();
          progress.accept(i + 1);
        }
      }
    }
  }

  private static StoredItem item(String id, Random rnd) {
    int len = 8 + rnd.nextInt(32);
    StringBuilder text = new StringBuilder();
    List<Word> words = new ArrayList<>();
    List<Tok> tokens = new ArrayList<>();
    tokens.add(new Tok("[CLS]", -1, -1, true, rnd.nextGaussian() * 0.2));
    for (int w = 0; w < len; w++) {
      if (w > 0) {
        text.append(' ');
      }
      String word =
          rnd.nextInt(4) == 0 ? "term" + rnd.nextInt(5000) : COMMON[rnd.nextInt(COMMON.length)];
      int start = text.length();
      text.append(word);
      double a = rnd.nextGaussian() * 0.5;
      words.add(new Word(word, start, text.length(), a));
      tokens.add(new Tok(word, start, text.length(), false, a));
    }
    tokens.add(new Tok("[SEP]", -1, -1, true, rnd.nextGaussian() * 0.2));
    int fw = rnd.nextInt(len);
    Word flagged = words.get(fw);
    String type = TYPES[rnd.nextInt(TYPES.length)];
    boolean offensive = rnd.nextBoolean();
    double p = 0.5 + rnd.nextDouble() / 2;
    String t = text.toString();
    return new StoredItem(
        id,
        rnd.nextInt(5) == 0 ? "v1" : "v2",
        offensive ? "offensive" : "normal",
        p,
        List.of("normal", "offensive"),
        offensive ? List.of(1 - p, p) : List.of(p, 1 - p),
        offensive ? 1 : 0,
        t,
        sha256(t),
        tokens,
        words,
        rnd.nextGaussian() * 1e-5,
        false,
        System.currentTimeMillis(),
        0,
        List.of(
            new StoredFlag(
                type,
                "generated flag on '" + flagged.word() + "'",
                rnd.nextDouble(),
                fw + 1,
                List.of(new Span(flagged.start(), flagged.end())))),
        null,
        null,
        List.of());
  }

  /**
   * Logs in over HTTP and times {@code repeats} GETs of {@code path} (after {@code warmup} untimed
   * ones).
   *
   * @param port dashboard port on 127.0.0.1
   * @param user user name
   * @param password password or token
   * @param path e.g. {@code /?q=people&page={page}}; {@code {page}}, {@code {rare}} and {@code
   *     {item}} are replaced by a page 1-20, a rare word and an item number that change with every
   *     request
   * @param items items stored ({@code {item}} is below it)
   * @param warmup untimed requests first
   * @param repeats timed requests
   * @return milliseconds per request, first byte to last byte, in order
   * @throws IOException if a request fails or does not return 200
   * @throws InterruptedException if interrupted
   */
  public static double[] time(
      int port, String user, String password, String path, int items, int warmup, int repeats)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + port;
    String cookie = login(http, base, user, password);
    double[] ms = new double[repeats];
    for (int i = -warmup; i < repeats; i++) {
      // Each request differs ({page}: 1-20, {rare}: another rare word), so no database can
      // answer it from the result of the previous identical query.
      int k = i + warmup;
      String p =
          path.replace("{page}", Integer.toString(k % 20 + 1))
              .replace("{rare}", "term" + (4242 + 37 * k) % 5000)
              .replace("{item}", Integer.toString((777 + 1009 * k) % items));
      long t0 = System.nanoTime();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + p)).header("Cookie", cookie).build(),
              HttpResponse.BodyHandlers.ofString());
      long t1 = System.nanoTime();
      if (r.statusCode() != 200) {
        throw new IOException("GET " + p + " returned " + r.statusCode());
      }
      if (i >= 0) {
        ms[i] = (t1 - t0) / 1e6;
      }
    }
    return ms;
  }

  /**
   * The "N items" count the queue page shows for {@code path}.
   *
   * @throws IOException on failure
   * @throws InterruptedException if interrupted
   */
  public static long total(int port, String user, String password, String path)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + port;
    String cookie = login(http, base, user, password);
    String body =
        http.send(
                HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = Pattern.compile("<span id=\"total\">(\\d+)</span>").matcher(body);
    if (!m.find()) {
      throw new IOException("no item count on " + path);
    }
    return Long.parseLong(m.group(1));
  }

  private static String login(HttpClient http, String base, String user, String password)
      throws IOException, InterruptedException {
    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/login")).build(),
            HttpResponse.BodyHandlers.ofString());
    String anon = cookie(page);
    Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
    if (!m.find()) {
      throw new IOException("no CSRF token on the login page");
    }
    String form =
        "_csrf=" + enc(m.group(1)) + "&username=" + enc(user) + "&password=" + enc(password);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Cookie", anon)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 302) {
      throw new IOException("login failed: HTTP " + r.statusCode());
    }
    return cookie(r);
  }

  private static String cookie(HttpResponse<?> r) throws IOException {
    String c =
        r.headers()
            .firstValue("Set-Cookie")
            .orElseThrow(() -> new IOException("no session cookie"));
    return c.substring(0, c.indexOf(';'));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
