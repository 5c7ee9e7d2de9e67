package dev.candor.dashboard.internals;

import dev.candor.dashboard.internals.Model.QueueFilter;
import dev.candor.dashboard.internals.Model.QueuePage;
import dev.candor.dashboard.internals.Model.QueueRow;
import dev.candor.dashboard.internals.Model.RateBucket;
import dev.candor.dashboard.internals.Model.Review;
import dev.candor.dashboard.internals.Model.Reviewed;
import dev.candor.dashboard.internals.Model.Span;
import dev.candor.dashboard.internals.Model.StoredItem;
import dev.candor.dashboard.internals.Sessions.Session;
import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.Feedback;
import dev.candor.schemas.avro.FeedbackAction;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web application: routes, the authentication and CSRF filter, and the page handlers. Pages are
 * Pebble templates with auto-escaping on, so every value from the database or a request is
 * HTML-escaped where it is printed; the only script is {@code /static/app.js} (the Content Security
 * Policy forbids inline scripts and styles).
 */
public final class WebApp {
  private static final Logger LOG = LoggerFactory.getLogger(WebApp.class);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
  private static final int MAX_QUERY = 200;
  private static final int MAX_SPANS = 64;
  private static final int MAX_RATIONALE = 2000;

  private final Settings config;
  private final ReviewStore store;
  private final FeedbackPublisher publisher;
  private final Authenticator auth;
  private final Sessions sessions;
  private final SseHub hub;
  private final MeterRegistry registry;
  private final PebbleEngine pebble;

  /**
   * What the pages need to know from the configuration.
   *
   * @param maxRequestBytes largest request body
   * @param pageSize rows per queue page
   * @param cookieSecure whether the session cookie is Secure
   * @param dbUrl database URL (shown to admins, password redacted)
   * @param bootstrapServers Kafka servers (shown to admins)
   * @param topics topic names (shown to admins)
   */
  public record Settings(
      int maxRequestBytes,
      int pageSize,
      boolean cookieSecure,
      String dbUrl,
      String bootstrapServers,
      java.util.Collection<String> topics) {}

  /** The dependencies of the pages. */
  public WebApp(
      Settings config,
      ReviewStore store,
      FeedbackPublisher publisher,
      Authenticator auth,
      Sessions sessions,
      SseHub hub,
      MeterRegistry registry) {
    this.config = config;
    this.store = store;
    this.publisher = publisher;
    this.auth = auth;
    this.sessions = sessions;
    this.hub = hub;
    this.registry = registry;
    ClasspathLoader loader = new ClasspathLoader(WebApp.class.getClassLoader());
    loader.setPrefix("dev/candor/dashboard/templates/");
    loader.setSuffix(".peb");
    this.pebble =
        new PebbleEngine.Builder()
            .loader(loader)
            .autoEscaping(true)
            .defaultEscapingStrategy("html")
            .strictVariables(false)
            .build();
  }

  /**
   * Builds the (unstarted) Javalin app.
   *
   * @return the app
   */
  public Javalin create() {
    Javalin app =
        Javalin.create(
            c -> {
              c.showJavalinBanner = false;
              c.http.maxRequestSize = config.maxRequestBytes();
              c.http.defaultContentType = "text/html; charset=utf-8";
              c.staticFiles.add(
                  sf -> {
                    sf.hostedPath = "/static";
                    sf.directory = "/dev/candor/dashboard/static";
                    sf.location = Location.CLASSPATH;
                    sf.headers = Map.of("Cache-Control", "max-age=300");
                  });
            });
    app.before(this::filter);
    app.get("/login", this::loginPage);
    app.post("/login", this::login);
    app.post("/logout", this::logout);
    app.get("/", this::queue);
    app.get("/queue/rows", this::queueRows);
    app.get("/item", this::item);
    app.post("/item/feedback", this::feedback);
    app.post("/item/undo", this::undo);
    app.get("/overview", this::overview);
    app.get("/admin", this::admin);
    app.sse("/events", hub::add);
    app.exception(
        BadRequest.class,
        (e, ctx) -> {
          ctx.status(HttpStatus.BAD_REQUEST);
          if (wantsJson(ctx)) {
            ctx.json(Map.of("error", e.getMessage()));
          } else {
            error(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
          }
        });
    app.exception(
        SQLException.class,
        (e, ctx) -> {
          LOG.error("database error on {}", ctx.path(), e);
          error(ctx, HttpStatus.SERVICE_UNAVAILABLE, "The database is not available; try again.");
        });
    app.error(
        404,
        ctx -> {
          if (!ctx.path().startsWith("/static/") && ctx.result() == null) {
            error(ctx, HttpStatus.NOT_FOUND, "No such page.");
          }
        });
    app.error(413, ctx -> ctx.result("Request too large."));
    return app;
  }

  // ---------------------------------------------------------------- filter

  private void filter(Context ctx) {
    ctx.header(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    String path = ctx.path();
    if (path.startsWith("/static/")) {
      return;
    }
    ctx.header("Cache-Control", "no-store");
    long len = ctx.req().getContentLengthLong();
    if (len > config.maxRequestBytes()) {
      ctx.status(HttpStatus.CONTENT_TOO_LARGE).result("Request too large.");
      ctx.skipRemainingHandlers();
      return;
    }
    Session s = sessions.find(ctx.cookie(Sessions.COOKIE));
    boolean write = !ctx.method().name().equals("GET") && !ctx.method().name().equals("HEAD");
    if (path.equals("/login")) {
      if (write && !csrfOk(ctx, s)) {
        refuse(ctx, HttpStatus.FORBIDDEN, "Missing or wrong CSRF token; reload the page.");
      }
      return;
    }
    if (s == null || !s.authenticated()) {
      if (!write && !path.equals("/events") && !path.equals("/queue/rows") && !wantsJson(ctx)) {
        ctx.redirect("/login");
        ctx.skipRemainingHandlers();
      } else {
        refuse(ctx, HttpStatus.UNAUTHORIZED, "Log in first.");
      }
      return;
    }
    if (write && !csrfOk(ctx, s)) {
      refuse(ctx, HttpStatus.FORBIDDEN, "Missing or wrong CSRF token; reload the page.");
      return;
    }
    if (path.equals("/admin") && !s.admin()) {
      refuse(ctx, HttpStatus.FORBIDDEN, "Only admins may open this page.");
      return;
    }
    ctx.attribute("session", s);
  }

  private void refuse(Context ctx, HttpStatus status, String message) {
    ctx.status(status);
    if (wantsJson(ctx) || !ctx.method().name().equals("GET")) {
      ctx.json(Map.of("error", message));
    } else {
      ctx.contentType("text/plain; charset=utf-8").result(message);
    }
    ctx.skipRemainingHandlers();
  }

  private static boolean csrfOk(Context ctx, Session s) {
    if (s == null) {
      return false;
    }
    String t = ctx.header("X-CSRF-Token");
    if (t == null) {
      t = ctx.formParam("_csrf");
    }
    return t != null
        && MessageDigest.isEqual(
            t.getBytes(StandardCharsets.UTF_8), s.csrf().getBytes(StandardCharsets.UTF_8));
  }

  private static boolean wantsJson(Context ctx) {
    String a = ctx.header("Accept");
    return a != null && a.contains("application/json") && !a.contains("text/html");
  }

  private void setCookie(Context ctx, Session s) {
    ctx.res()
        .addHeader(
            "Set-Cookie",
            Sessions.COOKIE
                + "="
                + s.id()
                + "; Path=/; HttpOnly; SameSite=Strict"
                + (config.cookieSecure() ? "; Secure" : ""));
  }

  private static Session session(Context ctx) {
    return ctx.attribute("session");
  }

  // ---------------------------------------------------------------- login

  private void loginPage(Context ctx) {
    Session s = sessions.find(ctx.cookie(Sessions.COOKIE));
    if (s != null && s.authenticated()) {
      ctx.redirect("/");
      return;
    }
    if (s == null) {
      s = sessions.anonymous();
      setCookie(ctx, s);
    }
    Map<String, Object> m = new HashMap<>();
    m.put("csrf", s.csrf());
    render(ctx, "login", m);
  }

  private void login(Context ctx) {
    Session anon = sessions.find(ctx.cookie(Sessions.COOKIE));
    Authenticator.Outcome o = auth.login(ctx.formParam("username"), ctx.formParam("password"));
    if (o.user() == null) {
      LOG.info("failed login");
      Map<String, Object> m = new HashMap<>();
      m.put("csrf", anon.csrf());
      m.put("error", o.error());
      m.put("username", ctx.formParam("username"));
      ctx.status(HttpStatus.UNAUTHORIZED);
      render(ctx, "login", m);
      return;
    }
    Session s = sessions.login(anon, o.user().name(), o.user().admin());
    LOG.info("user {} logged in", o.user().name());
    setCookie(ctx, s);
    ctx.redirect("/");
  }

  private void logout(Context ctx) {
    sessions.logout(session(ctx));
    ctx.res()
        .addHeader(
            "Set-Cookie", Sessions.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    ctx.redirect("/login");
  }

  // ---------------------------------------------------------------- queue

  private QueueFilter filterFrom(Context ctx) {
    String q = trimmed(ctx.queryParam("q"));
    if (q != null && q.length() > MAX_QUERY) {
      throw new BadRequest("The search text is longer than " + MAX_QUERY + " characters.");
    }
    if (q != null && ReviewStore.terms(q, ReviewStore.MAX_QUERY_TERMS).isEmpty()) {
      throw new BadRequest("Search for words: the search text has no letters or digits.");
    }
    Reviewed r;
    String rv = ctx.queryParam("reviewed");
    try {
      r = rv == null || rv.isEmpty() ? Reviewed.ANY : Reviewed.valueOf(rv.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequest("reviewed must be any, yes or no.");
    }
    int page = 1;
    String p = ctx.queryParam("page");
    if (p != null && !p.isEmpty()) {
      try {
        page = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new BadRequest("page must be a number.");
      }
      if (page < 1 || page > 1_000_000) {
        throw new BadRequest("page must be between 1 and 1000000.");
      }
    }
    return new QueueFilter(
        limited(ctx.queryParam("type"), "type"),
        limited(ctx.queryParam("label"), "label"),
        limited(ctx.queryParam("model"), "model"),
        r,
        q,
        page,
        config.pageSize());
  }

  private static String limited(String v, String name) {
    String t = trimmed(v);
    if (t != null && t.length() > FlagValidator.MAX_NAME) {
      throw new BadRequest(name + " is longer than " + FlagValidator.MAX_NAME + " characters.");
    }
    return t;
  }

  private static String trimmed(String v) {
    if (v == null) {
      return null;
    }
    String t = v.strip();
    return t.isEmpty() ? null : t;
  }

  private void queue(Context ctx) throws SQLException {
    QueueFilter f = filterFrom(ctx);
    QueuePage page = store.queue(f);
    Map<String, Object> m = new HashMap<>();
    m.put("filter", f);
    m.put("reviewed", f.reviewed().name().toLowerCase(Locale.ROOT));
    m.put("rows", rows(page));
    m.put("page", page);
    m.put("types", store.distinct("flag_type"));
    m.put("labels", store.distinct("label"));
    m.put("models", store.distinct("model_version"));
    m.put("prevLink", page.page() > 1 ? pageLink(f, page.page() - 1) : null);
    m.put("nextLink", page.page() < page.pages() ? pageLink(f, page.page() + 1) : null);
    render(ctx, "queue", m);
  }

  private void queueRows(Context ctx) throws SQLException {
    QueuePage page = store.queue(filterFrom(ctx));
    Map<String, Object> m = new HashMap<>();
    m.put("rows", rows(page));
    m.put("page", page);
    render(ctx, "queue_rows", m);
  }

  private static List<Map<String, Object>> rows(QueuePage page) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (QueueRow r : page.rows()) {
      Map<String, Object> m = new HashMap<>();
      m.put("id", r.id());
      m.put("href", "/item?id=" + enc(r.id()));
      m.put("model", r.modelVersion());
      m.put("label", r.label());
      m.put("score", String.format(Locale.ROOT, "%.3f", r.labelScore()));
      m.put("snippet", r.snippet() == null ? "(text not carried)" : r.snippet());
      m.put("types", r.flagTypes());
      m.put("received", TIME.format(Instant.ofEpochMilli(r.receivedAtMs())));
      m.put("review", r.reviewAction() == null ? "" : r.reviewAction());
      out.add(m);
    }
    return out;
  }

  private static String pageLink(QueueFilter f, int page) {
    StringBuilder b = new StringBuilder("/?page=").append(page);
    param(b, "type", f.flagType());
    param(b, "label", f.label());
    param(b, "model", f.modelVersion());
    param(b, "q", f.query());
    if (f.reviewed() != Reviewed.ANY) {
      param(b, "reviewed", f.reviewed().name().toLowerCase(Locale.ROOT));
    }
    return b.toString();
  }

  private static void param(StringBuilder b, String k, String v) {
    if (v != null) {
      b.append('&').append(k).append('=').append(enc(v));
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- item

  private StoredItem requireItem(String id) throws SQLException {
    if (id == null || id.isEmpty() || id.length() > FlagValidator.MAX_ID) {
      throw new BadRequest("A valid item id is required.");
    }
    Optional<StoredItem> it = store.item(id);
    if (it.isEmpty()) {
      throw new NotFound();
    }
    return it.get();
  }

  private void item(Context ctx) throws SQLException {
    StoredItem it;
    try {
      it = requireItem(ctx.queryParam("id"));
    } catch (NotFound e) {
      error(ctx, HttpStatus.NOT_FOUND, "No flagged item with this id.");
      return;
    }
    Session s = session(ctx);
    Map<String, Object> m = new HashMap<>();
    m.put("it", it);
    m.put("hasText", it.text() != null);
    if (it.text() != null) {
      m.put("words", Heatmap.words(it.text(), it.words()));
      m.put("tokens", Heatmap.tokens(it.text(), it.tokens()));
    }
    m.put("specials", Heatmap.specials(it.tokens()));
    m.put(
        "explainedLabel",
        it.explainedLabelIndex() < it.labels().size()
            ? it.labels().get(it.explainedLabelIndex())
            : "?");
    m.put("explainsPredicted", it.labels().indexOf(it.label()) == it.explainedLabelIndex());
    m.put("residual", String.format(Locale.ROOT, "%+.6f", it.completenessResidual()));
    m.put("score", String.format(Locale.ROOT, "%.4f", it.labelScore()));
    List<String> classScores = new ArrayList<>();
    if (it.labels().size() > 2 && it.scores().size() == it.labels().size()) {
      for (int c = 0; c < it.labels().size(); c++) {
        classScores.add(
            String.format(Locale.ROOT, "%s %.4f", it.labels().get(c), it.scores().get(c)));
      }
    }
    m.put("classScores", String.join(" · ", classScores));
    List<Map<String, Object>> flags = new ArrayList<>();
    for (Model.StoredFlag f : it.flags()) {
      Map<String, Object> fm = new HashMap<>();
      fm.put("type", f.type());
      fm.put("detail", f.detail());
      fm.put("score", String.format(Locale.ROOT, "%.4f", f.score()));
      fm.put("token", f.tokenIndex() >= 0 ? it.tokens().get(f.tokenIndex()).token() : null);
      fm.put("spans", spanTexts(it.text(), f.spans()));
      flags.add(fm);
    }
    m.put("flags", flags);
    List<String> others = new ArrayList<>(it.labels());
    others.remove(it.label());
    m.put("otherLabels", others);
    List<Map<String, Object>> reviews = new ArrayList<>();
    for (Review r : it.reviews()) {
      Map<String, Object> rm = new HashMap<>();
      rm.put("feedbackId", r.feedbackId());
      rm.put("reviewer", r.reviewer());
      rm.put("action", r.action());
      rm.put("label", r.label());
      rm.put("spans", spanTexts(it.text(), r.spans()));
      rm.put("at", TIME.format(Instant.ofEpochMilli(r.createdAtMs())));
      rm.put("retracted", r.retractedAtMs() != null);
      rm.put(
          "undoable",
          r.retractedAtMs() == null
              && !"RETRACT".equals(r.action())
              && s.wrote(it.id(), r.feedbackId()));
      reviews.add(rm);
    }
    m.put("reviews", reviews);
    m.put("received", TIME.format(Instant.ofEpochMilli(it.receivedAtMs())));
    render(ctx, "item", m);
  }

  private static List<String> spanTexts(String text, List<Span> spans) {
    List<String> out = new ArrayList<>();
    for (Span sp : spans) {
      String piece =
          text != null && sp.end() <= text.length()
              ? "“" + text.substring(sp.start(), sp.end()) + "”"
              : "";
      out.add(sp.start() + "–" + sp.end() + " " + piece);
    }
    return out;
  }

  private void feedback(Context ctx) throws SQLException {
    StoredItem it;
    try {
      it = requireItem(ctx.formParam("id"));
    } catch (NotFound e) {
      ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "No flagged item with this id."));
      return;
    }
    FeedbackAction action;
    try {
      action = FeedbackAction.valueOf(String.valueOf(ctx.formParam("action")));
    } catch (IllegalArgumentException e) {
      throw new BadRequest("action must be CONFIRM, RELABEL, MARK_SPURIOUS or DISMISS.");
    }
    String label = null;
    List<Span> spans = List.of();
    switch (action) {
      case CONFIRM -> label = it.label();
      case RELABEL -> {
        label = ctx.formParam("label");
        if (label == null || !it.labels().contains(label)) {
          throw new BadRequest("Choose one of the model's labels: " + it.labels() + ".");
        }
        if (label.equals(it.label())) {
          throw new BadRequest("The new label equals the predicted one; use Confirm.");
        }
      }
      case MARK_SPURIOUS -> {
        if (it.text() == null) {
          throw new BadRequest("This record carries no text, so no words can be marked.");
        }
        spans = parseSpans(ctx.formParam("spans"), it.text().length());
        if (spans.isEmpty()) {
          throw new BadRequest("Select at least one word to mark as spurious.");
        }
      }
      case DISMISS -> {}
      default -> throw new BadRequest("action must be CONFIRM, RELABEL, MARK_SPURIOUS or DISMISS.");
    }
    String rationale = trimmed(ctx.formParam("rationale"));
    if (rationale != null && rationale.length() > MAX_RATIONALE) {
      throw new BadRequest("The reason is longer than " + MAX_RATIONALE + " characters.");
    }
    Review r = write(session(ctx), it, action, label, spans, rationale);
    ctx.json(reviewJson(it, r));
  }

  private void undo(Context ctx) throws SQLException {
    StoredItem it;
    try {
      it = requireItem(ctx.formParam("id"));
    } catch (NotFound e) {
      ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "No flagged item with this id."));
      return;
    }
    String fid = ctx.formParam("feedbackId");
    Session s = session(ctx);
    if (fid == null || !s.wrote(it.id(), fid)) {
      throw new BadRequest("Only actions taken in this session can be undone here.");
    }
    boolean standing =
        it.reviews().stream()
            .anyMatch(r -> r.feedbackId().equals(fid) && r.retractedAtMs() == null);
    if (!standing) {
      throw new BadRequest("This action was already undone.");
    }
    Review r = write(s, it, FeedbackAction.RETRACT, null, List.of(), null);
    ctx.json(reviewJson(it, r));
  }

  private Review write(
      Session s,
      StoredItem it,
      FeedbackAction action,
      String label,
      List<Span> spans,
      String rationale)
      throws SQLException {
    long now = System.currentTimeMillis();
    String fid = UUID.randomUUID().toString();
    List<CharSpan> cs = new ArrayList<>();
    List<String> words = new ArrayList<>();
    for (Span sp : spans) {
      cs.add(new CharSpan(sp.start(), sp.end()));
      words.add(it.text().substring(sp.start(), sp.end()));
    }
    Feedback f =
        Feedback.newBuilder()
            .setId(it.id())
            .setReviewer(s.user())
            .setLabel(label)
            .setSpuriousTokens(words)
            .setRationale(rationale)
            .setCreatedAtMs(now)
            .setFeedbackId(fid)
            .setAction(action)
            .setText(it.text())
            .setTextSha256(it.textSha256())
            .setModelVersion(it.modelVersion())
            .setPredictedLabel(it.label())
            .setSpuriousSpans(cs)
            .build();
    try {
      publisher.publish(f);
    } catch (FeedbackPublisher.FeedbackException e) {
      LOG.error("feedback not written: {}", e.getMessage());
      counter(action, "failed").increment();
      throw new BadRequest(
          "The feedback could not be written to Kafka, so nothing was recorded; try again.");
    }
    Review r = new Review(fid, it.id(), s.user(), action.name(), label, spans, now, null);
    store.recordReview(r);
    s.remember(it.id(), fid);
    counter(action, "written").increment();
    LOG.info("{} wrote {} ({})", s.user(), action, fid);
    return r;
  }

  private Counter counter(FeedbackAction action, String outcome) {
    return registry.counter(
        "candor.dashboard.feedback", "action", action.name(), "outcome", outcome);
  }

  private static Map<String, Object> reviewJson(StoredItem it, Review r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("feedbackId", r.feedbackId());
    m.put("action", r.action());
    m.put("label", r.label());
    List<Map<String, Object>> spans = new ArrayList<>();
    for (Span s : r.spans()) {
      spans.add(
          Map.of(
              "start", s.start(), "end", s.end(), "text", it.text().substring(s.start(), s.end())));
    }
    m.put("spans", spans);
    m.put("reviewer", r.reviewer());
    m.put("createdAt", TIME.format(Instant.ofEpochMilli(r.createdAtMs())));
    return m;
  }

  /**
   * Parses {@code "start-end,start-end"} into sorted, merged spans within the text.
   *
   * @throws BadRequest with a message saying what is wrong
   */
  static List<Span> parseSpans(String spec, int textLength) {
    if (spec == null || spec.isBlank()) {
      return List.of();
    }
    String[] parts = spec.split(",");
    if (parts.length > MAX_SPANS) {
      throw new BadRequest("At most " + MAX_SPANS + " spans can be marked at once.");
    }
    TreeSet<int[]> sorted = new TreeSet<>((a, b) -> a[0] != b[0] ? a[0] - b[0] : a[1] - b[1]);
    for (String p : parts) {
      String[] se = p.strip().split("-", -1);
      int start;
      int end;
      try {
        if (se.length != 2) {
          throw new NumberFormatException();
        }
        start = Integer.parseInt(se[0]);
        end = Integer.parseInt(se[1]);
      } catch (NumberFormatException e) {
        throw new BadRequest("Spans are start-end character offsets, e.g. 4-9,12-15.");
      }
      if (start < 0 || end <= start || end > textLength) {
        throw new BadRequest(
            "Span " + start + "-" + end + " is outside the text (0-" + textLength + ").");
      }
      sorted.add(new int[] {start, end});
    }
    List<Span> out = new ArrayList<>();
    for (int[] s : sorted) {
      if (!out.isEmpty() && s[0] <= out.get(out.size() - 1).end()) {
        Span last = out.remove(out.size() - 1);
        out.add(new Span(last.start(), Math.max(last.end(), s[1])));
      } else {
        out.add(new Span(s[0], s[1]));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- overview, admin

  private void overview(Context ctx) throws SQLException {
    long bucket = 3_600_000L;
    long now = System.currentTimeMillis();
    long since = (now / bucket - 23) * bucket;
    List<RateBucket> rates = store.flagsByDetector(since, bucket);
    SortedMap<Long, Long> predictions = store.predictionsPerBucket(since, bucket);
    Map<String, long[]> perType = new java.util.TreeMap<>();
    for (RateBucket r : rates) {
      int i = (int) ((r.bucketStartMs() - since) / bucket);
      if (i >= 0 && i < 24) {
        perType.computeIfAbsent(r.flagType(), k -> new long[24])[i] = r.flags();
      }
    }
    long[] preds = new long[24];
    for (Map.Entry<Long, Long> e : predictions.entrySet()) {
      int i = (int) ((e.getKey() - since) / bucket);
      if (i >= 0 && i < 24) {
        preds[i] = e.getValue();
      }
    }
    List<Map<String, Object>> charts = new ArrayList<>();
    for (Map.Entry<String, long[]> e : perType.entrySet()) {
      long[] counts = e.getValue();
      long max = 1;
      long total = 0;
      long predTotal = 0;
      for (int i = 0; i < 24; i++) {
        max = Math.max(max, counts[i]);
        total += counts[i];
        predTotal += preds[i];
      }
      List<Map<String, Object>> bars = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        int h = (int) Math.round(60.0 * counts[i] / max);
        String hour = TIME.format(Instant.ofEpochMilli(since + i * bucket));
        String rate =
            preds[i] > 0
                ? String.format(
                    Locale.ROOT,
                    ", %.2f%% of %d predictions",
                    100.0 * counts[i] / preds[i],
                    preds[i])
                : "";
        bars.add(
            Map.of(
                "x",
                i * 20 + 2,
                "y",
                64 - h,
                "h",
                h,
                "title",
                hour + ": " + counts[i] + " flags" + rate));
      }
      Map<String, Object> c = new HashMap<>();
      c.put("type", e.getKey());
      c.put("bars", bars);
      c.put("total", total);
      c.put(
          "rate",
          predTotal > 0
              ? String.format(Locale.ROOT, "%.2f%%", 100.0 * total / predTotal)
              : "n/a (no predictions seen)");
      charts.add(c);
    }
    Map<String, Object> m = new HashMap<>();
    m.put("charts", charts);
    m.put("since", TIME.format(Instant.ofEpochMilli(since)));
    List<Map<String, Object>> tokens = new ArrayList<>();
    for (Model.TokenStat t : store.topTokens(25)) {
      tokens.add(
          Map.of(
              "token", t.token(),
              "flags", t.flags(),
              "mean", String.format(Locale.ROOT, "%+.4f", t.meanAttribution()),
              "cls",
                  Heatmap.cls(
                      t.meanAttribution(), Math.max(1e-12, Math.abs(t.meanAttribution())))));
    }
    m.put("tokens", tokens);
    List<Map<String, Object>> versions = new ArrayList<>();
    for (Model.ModelVersion v : store.modelVersions(20)) {
      List<String> figures = new ArrayList<>();
      v.metrics().forEach((k, x) -> figures.add(k + " " + String.format(Locale.ROOT, "%.4f", x)));
      versions.add(
          Map.of(
              "version", v.version(),
              "model", v.modelName(),
              "at", TIME.format(Instant.ofEpochMilli(v.createdAtMs())),
              "figures", String.join(" · ", figures)));
    }
    m.put("versions", versions);
    m.put("items", store.count("items"));
    m.put("predictionsSeen", store.count("predictions_seen"));
    render(ctx, "overview", m);
  }

  private void admin(Context ctx) throws SQLException {
    List<Map<String, Object>> counters = new ArrayList<>();
    for (Meter meter : registry.getMeters()) {
      if (meter instanceof Counter c && meter.getId().getName().startsWith("candor.dashboard")) {
        StringBuilder tags = new StringBuilder();
        meter
            .getId()
            .getTags()
            .forEach(t -> tags.append(t.getKey()).append('=').append(t.getValue()).append(' '));
        counters.add(
            Map.of(
                "name", meter.getId().getName(),
                "tags", tags.toString().strip(),
                "value", (long) c.count()));
      }
    }
    counters.sort(
        (a, b) ->
            (a.get("name") + " " + a.get("tags")).compareTo(b.get("name") + " " + b.get("tags")));
    Map<String, Object> m = new HashMap<>();
    m.put("counters", counters);
    m.put("db", Database.redact(config.dbUrl()));
    m.put("bootstrap", config.bootstrapServers());
    m.put("topics", config.topics());
    m.put("items", store.count("items"));
    m.put("flags", store.count("item_flags"));
    m.put("reviews", store.count("reviews"));
    m.put("predictionsSeen", store.count("predictions_seen"));
    m.put("sse", hub.size());
    render(ctx, "admin", m);
  }

  // ---------------------------------------------------------------- rendering

  private void error(Context ctx, HttpStatus status, String message) {
    ctx.status(status);
    Map<String, Object> m = new HashMap<>();
    m.put("message", message);
    m.put("status", status.getCode());
    render(ctx, "error", m);
  }

  private void render(Context ctx, String template, Map<String, Object> model) {
    Session s = ctx.attribute("session");
    Map<String, Object> m = new HashMap<>(model);
    if (s != null) {
      m.put("user", s.user());
      m.put("admin", s.admin());
      m.putIfAbsent("csrf", s.csrf());
    }
    StringWriter w = new StringWriter();
    try {
      pebble.getTemplate(template).evaluate(w, m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.contentType("text/html; charset=utf-8").result(w.toString());
  }

  /** A request with a wrong or missing parameter; the message is shown to the user. */
  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }

  private static final class NotFound extends RuntimeException {
    NotFound() {
      super("not found");
    }
  }
}
