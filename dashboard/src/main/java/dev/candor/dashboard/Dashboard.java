package dev.candor.dashboard;

import dev.candor.dashboard.internals.Authenticator;
import dev.candor.dashboard.internals.Database;
import dev.candor.dashboard.internals.FeedbackPublisher;
import dev.candor.dashboard.internals.FlagConsumer;
import dev.candor.dashboard.internals.FlagValidator;
import dev.candor.dashboard.internals.ReviewStore;
import dev.candor.dashboard.internals.Sessions;
import dev.candor.dashboard.internals.SseHub;
import dev.candor.dashboard.internals.WebApp;
import io.javalin.Javalin;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The review dashboard process: a database (migrated on start), a consumer of {@code candor.flags}
 * (and {@code candor.predictions}) into it, a producer of reviewer actions to {@code
 * candor.feedback}, and the web server. Closing stops the web server, the consumer, the producer
 * and the database pool, in that order.
 */
public final class Dashboard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);

  private final Database db;
  private final FeedbackPublisher publisher;
  private final FlagConsumer consumer;
  private final SseHub hub;
  private final Javalin web;
  private final MeterRegistry registry;

  private Dashboard(
      Database db,
      FeedbackPublisher publisher,
      FlagConsumer consumer,
      SseHub hub,
      Javalin web,
      MeterRegistry registry) {
    this.db = db;
    this.publisher = publisher;
    this.consumer = consumer;
    this.hub = hub;
    this.web = web;
    this.registry = registry;
  }

  /**
   * Starts the dashboard with its own meter registry.
   *
   * @param config the validated config (cannot be {@code null})
   * @return the running dashboard
   */
  public static Dashboard start(DashboardConfig config) {
    return start(config, new SimpleMeterRegistry());
  }

  /**
   * Starts the dashboard.
   *
   * @param config the validated config (cannot be {@code null})
   * @param registry where counters go (cannot be {@code null})
   * @return the running dashboard
   */
  public static Dashboard start(DashboardConfig config, MeterRegistry registry) {
    Objects.requireNonNull(config, "config cannot be null");
    Objects.requireNonNull(registry, "registry cannot be null");
    Database db = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword());
    FeedbackPublisher publisher = null;
    FlagConsumer consumer = null;
    SseHub hub = new SseHub();
    try {
      ReviewStore store = new ReviewStore(db.dataSource());
      publisher = new FeedbackPublisher(config.bootstrapServers(), config.topics().feedback());
      consumer =
          new FlagConsumer(
                  config.bootstrapServers(),
                  config.groupId(),
                  config.topics(),
                  config.consumePredictions(),
                  store,
                  new FlagValidator(config.maxTextChars(), config.modelVersions()),
                  registry,
                  hub::newFlags)
              .start();
      List<Authenticator.Account> accounts = new ArrayList<>();
      for (DashboardConfig.User u : config.users()) {
        accounts.add(
            new Authenticator.Account(
                u.name(), u.role() == DashboardConfig.Role.ADMIN, u.bcryptHash()));
      }
      WebApp app =
          new WebApp(
              new WebApp.Settings(
                  config.maxRequestBytes(),
                  config.pageSize(),
                  config.cookieSecure(),
                  config.dbUrl(),
                  config.bootstrapServers(),
                  List.copyOf(config.topics().names().values())),
              store,
              publisher,
              new Authenticator(accounts, config.token()),
              new Sessions(config.sessionTimeoutMinutes() * 60_000L),
              hub,
              registry);
      Javalin web = app.create().start(config.host(), config.port());
      LOG.info("dashboard at http://{}:{}/", config.host(), web.port());
      return new Dashboard(db, publisher, consumer, hub, web, registry);
    } catch (RuntimeException e) {
      if (consumer != null) {
        consumer.close();
      }
      if (publisher != null) {
        publisher.close();
      }
      db.close();
      throw e;
    }
  }

  /**
   * @return the HTTP port the server listens on
   */
  public int port() {
    return web.port();
  }

  /**
   * @return the registry with the dashboard's counters
   */
  public MeterRegistry registry() {
    return registry;
  }

  /**
   * Hashes a password for {@link DashboardConfig#USERS_CONFIG}.
   *
   * @param password the password
   * @return its bcrypt hash
   */
  public static String hashPassword(char[] password) {
    return Authenticator.hash(password);
  }

  @Override
  public void close() {
    hub.closeAll();
    web.stop();
    consumer.close();
    publisher.close();
    db.close();
  }
}
