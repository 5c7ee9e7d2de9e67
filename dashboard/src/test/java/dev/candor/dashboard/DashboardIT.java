package dev.candor.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.candor.dashboard.internals.Records;
import dev.candor.kafka.EmbeddedKafkaExtension;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.Feedback;
import dev.candor.schemas.avro.FeedbackAction;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard end to end: a real broker, an H2 file database, the web server and headless
 * Chromium (Debian {@code chromium} + {@code chromium-driver}; scripts/ci-browser.sh installs
 * them). With {@code -Dcandor.dashboard.screenshots=DIR} it also saves a screenshot of each page
 * there.
 */
@Tag("integration")
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String PASSWORD = "correct horse battery";
  private static final String XSS_TEXT =
      "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\"> you people";

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @TempDir static Path dir;
  private static Topics topics;
  private static Map<String, Object> props;
  private static Dashboard dashboard;
  private static WebDriver driver;
  private static WebDriverWait wait;
  private static KafkaProducer<String, ExplainedPrediction> producer;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    assumeTrue(
        new File(CHROMEDRIVER).canExecute() && new File(CHROMIUM).canExecute(),
        "chromium and chromium-driver are not installed: browser tests skipped"
            + " (run scripts/ci-browser.sh)");
    topics = Topics.builder().optPrefix("it.").build();
    KAFKA.kafka().createTopic(topics.flags().name(), 1, false);
    KAFKA.kafka().createTopic(topics.predictions().name(), 1, false);
    KAFKA.kafka().createTopic(topics.feedback().name(), 1, false);
    props = new HashMap<>();
    props.put(DashboardConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    props.put(DashboardConfig.TOPIC_PREFIX_CONFIG, "it.");
    props.put(DashboardConfig.PORT_CONFIG, "0");
    props.put(DashboardConfig.DB_URL_CONFIG, "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
    props.put(
        DashboardConfig.USERS_CONFIG,
        "alice:reviewer:" + Dashboard.hashPassword(PASSWORD.toCharArray()));
    props.put(DashboardConfig.TOKEN_CONFIG, "an-admin-token-of-some-length");
    dashboard = Dashboard.start(new DashboardConfig(props));
    producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
            topics.flags().keySerde().serializer(),
            topics.flags().valueSerde().serializer());
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM);
    o.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build();
    driver = new ChromeDriver(service, o);
    wait = new WebDriverWait(driver, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (producer != null) {
      producer.close();
    }
    if (dashboard != null) {
      dashboard.close();
    }
  }

  private static String base() {
    return "http://127.0.0.1:" + dashboard.port();
  }

  private static void produce(ExplainedPrediction p) throws Exception {
    producer.send(new ProducerRecord<>(topics.flags().name(), p.getId(), p)).get();
  }

  private static void login(String user, String password) {
    driver.get(base() + "/login");
    driver.findElement(By.id("username")).sendKeys(user);
    driver.findElement(By.id("password")).sendKeys(password);
    driver.findElement(By.id("login")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("rows")));
  }

  private static void screenshot(String name) throws Exception {
    String target = System.getProperty("candor.dashboard.screenshots");
    if (target != null && !target.isBlank()) {
      Path d = Path.of(target);
      Files.createDirectories(d);
      byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
      Files.write(d.resolve(name + ".png"), png);
    }
  }

  @Test
  @Order(1)
  void shouldRefuseUnauthenticatedAccess() throws Exception {
    HttpResponse<String> page = get("/", null);
    assertEquals(302, page.statusCode());
    assertEquals("/login", page.headers().firstValue("Location").orElse(""));
    assertEquals(302, get("/overview", null).statusCode());
    assertEquals(401, get("/queue/rows", null).statusCode());
    assertEquals(401, get("/events", null).statusCode());
    assertEquals(302, get("/admin", "candor_session=forged-session-id").statusCode());
    HttpResponse<String> write = post("/item/feedback", null, "id=x&action=CONFIRM");
    assertEquals(401, write.statusCode());
    assertEquals(200, get("/static/app.css", null).statusCode(), "static assets are public");
    HttpResponse<String> login = get("/login", null);
    assertEquals(200, login.statusCode());
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(cookie.contains("HttpOnly"), cookie);
    assertTrue(cookie.contains("SameSite=Strict"), cookie);
    assertTrue(
        login
            .headers()
            .firstValue("Content-Security-Policy")
            .orElse("")
            .contains("script-src 'self'"));
  }

  @Test
  @Order(2)
  void shouldRefuseWrongPassword() throws Exception {
    driver.get(base() + "/login");
    screenshot("login");
    driver.findElement(By.id("username")).sendKeys("alice");
    driver.findElement(By.id("password")).sendKeys("wrong password");
    driver.findElement(By.id("login")).click();
    WebElement err = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login-error")));
    assertEquals("Wrong user name or password.", err.getText());
  }

  @Test
  @Order(3)
  void shouldShowNewFlagsLiveInTheQueue() throws Exception {
    produce(
        Records.flagged("seed-1", "have a lovely day everyone", "normal", "special-token-mass", 2));
    produce(
        Records.flagged(
            "seed-2",
            "those immigrants are ruining this country",
            "offensive",
            "identity-term",
            1));
    produce(
        Records.flagged(
            "seed-3",
            "what a match last night, simply brilliant",
            "normal",
            "special-token-mass",
            4));
    produce(
        Records.flagged(
            "seed-4", "women should not be allowed to vote", "offensive", "identity-term", 0));
    login("alice", PASSWORD);
    wait.until(d -> rowIds().contains("seed-4") || reload());
    // Mark the page: a reload would lose the marker, so the new row must come without one.
    js("window.__noReload = 'yes';");
    wait.until(ExpectedConditions.attributeContains(By.id("live"), "class", "on"));
    produce(
        Records.flagged(
            "live-1", "go back to where you people came from", "offensive", "identity-term", 5));
    wait.until(d -> rowIds().contains("live-1"));
    assertEquals("yes", js("return window.__noReload;"));
    assertEquals("live-1", rowIds().get(0), "newest first");
    wait.until(ExpectedConditions.textToBe(By.id("total"), "5"));
    screenshot("queue");
  }

  @Test
  @Order(4)
  void shouldWriteSpuriousSpanFeedbackAndUndo() throws Exception {
    driver.get(base() + "/item?id=live-1");
    String text = "go back to where you people came from";
    WebElement word =
        wait.until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector("#text-words .w[data-start='21']")));
    assertEquals("people", word.getText());
    assertNotNull(word.getAttribute("title"), "exact value on hover");
    assertTrue(word.getAttribute("title").startsWith("people: "), word.getAttribute("title"));
    word.click();
    driver.findElement(By.id("mark")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#done li.done")));
    screenshot("item");
    Feedback f = awaitFeedback("live-1", FeedbackAction.MARK_SPURIOUS);
    assertEquals(List.of(new CharSpan(21, 27)), f.getSpuriousSpans());
    assertEquals("people", text.substring(21, 27));
    assertEquals(List.of("people"), f.getSpuriousTokens());
    assertEquals("alice", f.getReviewer());
    assertEquals(text, f.getText());
    assertEquals(Records.sha256(text), f.getTextSha256());
    assertEquals("v1", f.getModelVersion());
    assertEquals("offensive", f.getPredictedLabel());
    assertNull(f.getLabel());
    assertNotNull(UUID.fromString(f.getFeedbackId()));
    // the word view and token view both exist; the token view is hidden until asked for
    driver.findElement(By.id("view-tokens")).click();
    assertTrue(driver.findElement(By.id("text-tokens")).isDisplayed());
    driver.findElement(By.id("view-words")).click();
    // undo within the session
    driver.findElement(By.cssSelector("#done button.undo")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("review-state"), "undone"));
    Feedback r = awaitFeedback("live-1", FeedbackAction.RETRACT);
    assertEquals("alice", r.getReviewer());
    // confirm, then the queue shows the reviewed state
    driver.findElement(By.id("confirm")).click();
    Feedback c = awaitFeedback("live-1", FeedbackAction.CONFIRM);
    assertEquals("offensive", c.getLabel());
    driver.get(base() + "/?reviewed=yes");
    wait.until(d -> rowIds().contains("live-1"));
    assertFalse(rowIds().contains("seed-1"));
  }

  @Test
  @Order(5)
  void shouldRenderHostileTextInert() throws Exception {
    String id = "\"><script>window.__xss=3</script>";
    produce(Records.flagged(id, XSS_TEXT, "offensive", "identity-term", 1));
    driver.get(base() + "/");
    wait.until(d -> rowIds().contains(id));
    driver.get(
        (String)
            js("return document.querySelector('#rows tr.row a.open').getAttribute('href');")
                .toString()
                .transform(h -> base() + h));
    WebElement text = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("text-words")));
    assertTrue(text.getText().contains("<script>window.__xss=1</script>"), text.getText());
    assertTrue(driver.findElement(By.tagName("h1")).getText().contains(id));
    assertNull(js("return window.__xss;"), "no injected script ran");
    assertTrue(driver.findElements(By.cssSelector("main img")).isEmpty(), "no injected element");
  }

  @Test
  @Order(6)
  void shouldRefuseWritesWithoutCsrfToken() throws Exception {
    driver.get(base() + "/item?id=seed-1");
    String csrf =
        driver.findElement(By.cssSelector("meta[name='csrf-token']")).getAttribute("content");
    String cookie = "candor_session=" + driver.manage().getCookieNamed("candor_session").getValue();
    String body = "id=seed-1&action=DISMISS";
    HttpResponse<String> none = post("/item/feedback", cookie, body);
    assertEquals(403, none.statusCode(), none.body());
    HttpResponse<String> wrong = post("/item/feedback", cookie, body + "&_csrf=guess");
    assertEquals(403, wrong.statusCode());
    // the same request with the token is accepted, so the refusals were the token's doing
    HttpResponse<String> ok = post("/item/feedback", cookie, body + "&_csrf=" + csrf);
    assertEquals(200, ok.statusCode(), ok.body());
    assertTrue(ok.body().contains("\"action\":\"DISMISS\""), ok.body());
    // and validation errors are clear
    HttpResponse<String> bad =
        post("/item/feedback", cookie, "id=seed-1&action=MARK_SPURIOUS&spans=5-999&_csrf=" + csrf);
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("outside the text"), bad.body());
    HttpResponse<String> big =
        post(
            "/item/feedback",
            cookie,
            "id=seed-1&action=DISMISS&_csrf=" + csrf + "&x=" + "a".repeat(70_000));
    assertEquals(413, big.statusCode());
    // a reviewer is not an admin
    assertEquals(403, get("/admin", cookie).statusCode());
    driver.get(base() + "/overview");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table.tokens")));
    screenshot("overview");
  }

  @Test
  @Order(7)
  void shouldKeepTheQueueAcrossARestart() throws Exception {
    dashboard.close();
    dashboard = Dashboard.start(new DashboardConfig(props));
    login("admin", "an-admin-token-of-some-length");
    List<String> ids = rowIds();
    assertTrue(ids.containsAll(List.of("seed-1", "live-1")), ids.toString());
    driver.get(base() + "/item?id=live-1");
    assertTrue(
        driver.findElement(By.id("review-state")).getText().startsWith("CONFIRM by alice"),
        "reviews survive too");
    driver.get(base() + "/admin");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table.counters")));
    screenshot("admin");
  }

  private static Feedback awaitFeedback(String id, FeedbackAction action) throws Exception {
    Map<String, Object> cp =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            KAFKA.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "it-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest");
    List<Feedback> seen = new ArrayList<>();
    try (KafkaConsumer<String, Feedback> c =
        new KafkaConsumer<>(
            cp,
            topics.feedback().keySerde().deserializer(),
            topics.feedback().valueSerde().deserializer())) {
      c.subscribe(List.of(topics.feedback().name()));
      long end = System.currentTimeMillis() + 30_000;
      while (System.currentTimeMillis() < end) {
        for (ConsumerRecord<String, Feedback> r : c.poll(Duration.ofMillis(500))) {
          seen.add(r.value());
          assertEquals(r.key(), r.value().getId(), "keyed by text id");
        }
        for (Feedback f : seen) {
          if (f.getId().equals(id) && f.getAction() == action) {
            return f;
          }
        }
      }
    }
    throw new AssertionError(
        "no " + action + " feedback for " + id + " within 30 s; saw " + seen.size());
  }

  @SuppressWarnings("unchecked")
  private static List<String> rowIds() {
    // One script call, so a live update replacing the rows cannot interleave.
    return (List<String>)
        js(
            "return Array.from(document.querySelectorAll('#rows tr.row'))"
                + ".map(function (t) { return t.dataset.id; });");
  }

  private static boolean reload() {
    driver.navigate().refresh();
    return false;
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  private static HttpResponse<String> get(String path, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).GET();
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String cookie, String form)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
