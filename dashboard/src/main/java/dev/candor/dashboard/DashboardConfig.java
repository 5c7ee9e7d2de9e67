package dev.candor.dashboard;

import dev.candor.schemas.ConfigSources;
import dev.candor.schemas.TopicKind;
import dev.candor.schemas.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The validated configuration of the dashboard process: database, broker, topics, HTTP port and
 * users. Built from properties (a file, {@code --set} pairs) with environment overrides ({@code
 * candor.dashboard.port} is overridden by {@code CANDOR_DASHBOARD_PORT}); every value is checked
 * when the config is built, so a bad value stops the process before it opens a port.
 */
public final class DashboardConfig extends AbstractConfig {

  private static final String PREFIX = "candor.";

  /** Kafka bootstrap servers. */
  public static final String BOOTSTRAP_SERVERS_CONFIG = "candor.bootstrap.servers";

  /** Topic name prefix. */
  public static final String TOPIC_PREFIX_CONFIG = "candor.topic.prefix";

  /** Full name of the flags topic (empty: prefix + "flags"). */
  public static final String TOPIC_FLAGS_CONFIG = "candor.topic.flags";

  /** Full name of the predictions topic (empty: prefix + "predictions"). */
  public static final String TOPIC_PREDICTIONS_CONFIG = "candor.topic.predictions";

  /** Full name of the feedback topic (empty: prefix + "feedback"). */
  public static final String TOPIC_FEEDBACK_CONFIG = "candor.topic.feedback";

  /** Consumer group of the dashboard's consumers. */
  public static final String GROUP_ID_CONFIG = "candor.dashboard.group.id";

  /** Whether candor.predictions is also consumed (for the overview's flag rates). */
  public static final String CONSUME_PREDICTIONS_CONFIG = "candor.dashboard.consume.predictions";

  /** JDBC URL of the database. */
  public static final String DB_URL_CONFIG = "candor.dashboard.db.url";

  /** Database user. */
  public static final String DB_USER_CONFIG = "candor.dashboard.db.user";

  /** Database password. */
  public static final String DB_PASSWORD_CONFIG = "candor.dashboard.db.password";

  /** HTTP bind address. */
  public static final String HOST_CONFIG = "candor.dashboard.host";

  /** HTTP port (0: any free port). */
  public static final String PORT_CONFIG = "candor.dashboard.port";

  /** Users as {@code name:role:bcrypt-hash}, comma separated. */
  public static final String USERS_CONFIG = "candor.dashboard.users";

  /** Single-user token: logs in as user {@code admin} with the admin role. */
  public static final String TOKEN_CONFIG = "candor.dashboard.token";

  /** Longest text stored. */
  public static final String MAX_TEXT_CHARS_CONFIG = "candor.dashboard.max.text.chars";

  /** Largest HTTP request body. */
  public static final String MAX_REQUEST_BYTES_CONFIG = "candor.dashboard.max.request.bytes";

  /** Idle session lifetime. */
  public static final String SESSION_TIMEOUT_MINUTES_CONFIG =
      "candor.dashboard.session.timeout.minutes";

  /** Whether the session cookie carries the Secure attribute (behind HTTPS). */
  public static final String COOKIE_SECURE_CONFIG = "candor.dashboard.cookie.secure";

  /** Model versions accepted (empty: any). */
  public static final String MODEL_VERSIONS_CONFIG = "candor.dashboard.model.versions";

  /** Rows per queue page. */
  public static final String PAGE_SIZE_CONFIG = "candor.dashboard.page.size";

  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");

  private static final ConfigDef CONFIG = buildConfigDef();

  /** A configured user. */
  public record User(String name, Role role, String bcryptHash) {}

  /** What a user may do. */
  public enum Role {
    /** Reads the queue and writes feedback. */
    REVIEWER,
    /** A reviewer who also sees the ingestion and database status page. */
    ADMIN
  }

  private final List<User> users;

  /**
   * Builds and validates a config.
   *
   * @param props the values
   * @throws ConfigException if a value is invalid, a {@code candor.} key is unknown, or no user and
   *     no token is configured
   */
  public DashboardConfig(Map<?, ?> props) {
    super(CONFIG, props, false);
    for (Object k : props.keySet()) {
      String key = String.valueOf(k);
      if (key.startsWith(PREFIX) && !CONFIG.names().contains(key)) {
        throw new ConfigException(
            key,
            props.get(k),
            "Unknown configuration key (known keys: " + String.join(", ", CONFIG.names()) + ")");
      }
    }
    this.users = parseUsers(getList(USERS_CONFIG));
    if (users.isEmpty() && token().isEmpty()) {
      throw new ConfigException(
          "No way to log in: set " + USERS_CONFIG + " (name:role:bcrypt) or " + TOKEN_CONFIG);
    }
    String token = token();
    if (!token.isEmpty() && token.length() < 16) {
      throw new ConfigException(TOKEN_CONFIG, "(hidden)", "must be at least 16 characters");
    }
    String url = dbUrl();
    if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
      throw new ConfigException(DB_URL_CONFIG, url, "only jdbc:h2: and jdbc:postgresql: are used");
    }
    topics(); // validates the names
  }

  /**
   * Loads a properties file, then applies environment overrides from {@code env}.
   *
   * @param file the properties file
   * @param env environment variables
   * @return the config
   */
  public static DashboardConfig load(Path file, Map<String, String> env) {
    return fromProperties(ConfigSources.read(file), env);
  }

  /**
   * Builds a config from properties plus environment overrides ({@code candor.a.b} by {@code
   * CANDOR_A_B}).
   *
   * @param props base values
   * @param env environment variables
   * @return the config
   */
  public static DashboardConfig fromProperties(Map<?, ?> props, Map<String, String> env) {
    return new DashboardConfig(ConfigSources.withEnvironment(props, CONFIG.names(), env));
  }

  /**
   * The environment variable that overrides {@code key}.
   *
   * @param key a key such as {@code candor.dashboard.port}
   * @return e.g. {@code CANDOR_DASHBOARD_PORT}
   */
  public static String envName(String key) {
    return ConfigSources.envName(key);
  }

  /**
   * The definition of every key.
   *
   * @return a copy of the definition
   */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG);
  }

  /**
   * @return {@value #BOOTSTRAP_SERVERS_CONFIG}
   */
  public String bootstrapServers() {
    return getString(BOOTSTRAP_SERVERS_CONFIG);
  }

  /** The topics, named from the prefix and the overrides. */
  public Topics topics() {
    Topics.Builder b = Topics.builder().optPrefix(getString(TOPIC_PREFIX_CONFIG));
    override(b, TopicKind.FLAGS, TOPIC_FLAGS_CONFIG);
    override(b, TopicKind.PREDICTIONS, TOPIC_PREDICTIONS_CONFIG);
    override(b, TopicKind.FEEDBACK, TOPIC_FEEDBACK_CONFIG);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(TOPIC_PREFIX_CONFIG + "/candor.topic.*: " + e.getMessage());
    }
  }

  private void override(Topics.Builder b, TopicKind kind, String key) {
    String name = getString(key);
    if (!name.isBlank()) {
      b.optName(kind, name);
    }
  }

  /**
   * @return {@value #GROUP_ID_CONFIG}
   */
  public String groupId() {
    return getString(GROUP_ID_CONFIG);
  }

  /**
   * @return {@value #CONSUME_PREDICTIONS_CONFIG}
   */
  public boolean consumePredictions() {
    return getBoolean(CONSUME_PREDICTIONS_CONFIG);
  }

  /**
   * @return {@value #DB_URL_CONFIG}
   */
  public String dbUrl() {
    return getString(DB_URL_CONFIG);
  }

  /**
   * @return {@value #DB_USER_CONFIG}
   */
  public String dbUser() {
    return getString(DB_USER_CONFIG);
  }

  /**
   * @return {@value #DB_PASSWORD_CONFIG}
   */
  public String dbPassword() {
    return getPassword(DB_PASSWORD_CONFIG).value();
  }

  /**
   * @return {@value #HOST_CONFIG}
   */
  public String host() {
    return getString(HOST_CONFIG);
  }

  /**
   * @return {@value #PORT_CONFIG}
   */
  public int port() {
    return getInt(PORT_CONFIG);
  }

  /**
   * @return the users of {@value #USERS_CONFIG}
   */
  public List<User> users() {
    return users;
  }

  /**
   * @return {@value #TOKEN_CONFIG}, empty when unset
   */
  public String token() {
    Password p = getPassword(TOKEN_CONFIG);
    return p == null ? "" : p.value();
  }

  /**
   * @return {@value #MAX_TEXT_CHARS_CONFIG}
   */
  public int maxTextChars() {
    return getInt(MAX_TEXT_CHARS_CONFIG);
  }

  /**
   * @return {@value #MAX_REQUEST_BYTES_CONFIG}
   */
  public int maxRequestBytes() {
    return getInt(MAX_REQUEST_BYTES_CONFIG);
  }

  /**
   * @return {@value #SESSION_TIMEOUT_MINUTES_CONFIG}
   */
  public int sessionTimeoutMinutes() {
    return getInt(SESSION_TIMEOUT_MINUTES_CONFIG);
  }

  /**
   * @return {@value #COOKIE_SECURE_CONFIG}
   */
  public boolean cookieSecure() {
    return getBoolean(COOKIE_SECURE_CONFIG);
  }

  /**
   * @return {@value #MODEL_VERSIONS_CONFIG}; empty means any version is accepted
   */
  public Set<String> modelVersions() {
    return Set.copyOf(getList(MODEL_VERSIONS_CONFIG));
  }

  /**
   * @return {@value #PAGE_SIZE_CONFIG}
   */
  public int pageSize() {
    return getInt(PAGE_SIZE_CONFIG);
  }

  private static List<User> parseUsers(List<String> entries) {
    List<User> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (String e : entries) {
      String[] parts = e.trim().split(":", 3);
      if (parts.length != 3) {
        throw new ConfigException(USERS_CONFIG, "(hidden)", "each user is name:role:bcrypt-hash");
      }
      String name = parts[0];
      if (!USER_NAME.matcher(name).matches()) {
        throw new ConfigException(
            USERS_CONFIG, name, "user names are 1-64 characters of A-Z a-z 0-9 . _ -");
      }
      Role role;
      try {
        role = Role.valueOf(parts[1].toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException ex) {
        throw new ConfigException(
            USERS_CONFIG, parts[1], "role of user " + name + " must be reviewer or admin");
      }
      if (!BCRYPT.matcher(parts[2]).matches()) {
        throw new ConfigException(
            USERS_CONFIG,
            "(hidden)",
            "password of user " + name + " must be a bcrypt hash ($2a$/$2b$/$2y$, 60 chars)");
      }
      if (!names.add(name)) {
        throw new ConfigException(USERS_CONFIG, name, "user listed twice");
      }
      out.add(new User(name, role, parts[2]));
    }
    return List.copyOf(out);
  }

  private static ConfigDef buildConfigDef() {
    return new ConfigDef()
        .define(
            BOOTSTRAP_SERVERS_CONFIG,
            Type.STRING,
            "localhost:9092",
            new ConfigDef.NonEmptyString(),
            Importance.HIGH,
            "Kafka bootstrap servers.")
        .define(
            TOPIC_PREFIX_CONFIG,
            Type.STRING,
            Topics.DEFAULT_PREFIX,
            Importance.MEDIUM,
            "Prefix of topic names without an explicit name.")
        .define(TOPIC_FLAGS_CONFIG, Type.STRING, "", Importance.LOW, "Name of the flags topic.")
        .define(
            TOPIC_PREDICTIONS_CONFIG,
            Type.STRING,
            "",
            Importance.LOW,
            "Name of the predictions topic.")
        .define(
            TOPIC_FEEDBACK_CONFIG, Type.STRING, "", Importance.LOW, "Name of the feedback topic.")
        .define(
            GROUP_ID_CONFIG,
            Type.STRING,
            "candor-dashboard",
            new ConfigDef.NonEmptyString(),
            Importance.MEDIUM,
            "Consumer group id; dashboards sharing one database share one group.")
        .define(
            CONSUME_PREDICTIONS_CONFIG,
            Type.BOOLEAN,
            true,
            Importance.LOW,
            "Also read candor.predictions to show flag rates (flags per prediction).")
        .define(
            DB_URL_CONFIG,
            Type.STRING,
            "jdbc:h2:file:"
                + Path.of(System.getProperty("user.home"), ".candor", "dashboard", "candor")
                    .toAbsolutePath(),
            new ConfigDef.NonEmptyString(),
            Importance.HIGH,
            "JDBC URL: jdbc:h2:file:/path (embedded, default) or jdbc:postgresql://host/db.")
        .define(DB_USER_CONFIG, Type.STRING, "", Importance.MEDIUM, "Database user.")
        .define(DB_PASSWORD_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, "Database password.")
        .define(
            HOST_CONFIG,
            Type.STRING,
            "127.0.0.1",
            new ConfigDef.NonEmptyString(),
            Importance.MEDIUM,
            "Address the web server binds to.")
        .define(
            PORT_CONFIG,
            Type.INT,
            8080,
            Range.between(0, 65535),
            Importance.HIGH,
            "Web server port; 0 picks a free one.")
        .define(
            USERS_CONFIG,
            Type.LIST,
            "",
            Importance.HIGH,
            "Users as name:role:bcrypt-hash, comma separated; role is reviewer or admin"
                + " (hash with `candor dashboard hash-password`).")
        .define(
            TOKEN_CONFIG,
            Type.PASSWORD,
            "",
            Importance.HIGH,
            "Single-user setup: a secret of at least 16 characters; log in as 'admin' with it.")
        .define(
            MAX_TEXT_CHARS_CONFIG,
            Type.INT,
            20_000,
            Range.between(1, 1_000_000),
            Importance.LOW,
            "Flagged records with longer texts are skipped (logged and counted).")
        .define(
            MAX_REQUEST_BYTES_CONFIG,
            Type.INT,
            65_536,
            Range.between(1024, 10_000_000),
            Importance.LOW,
            "Largest accepted HTTP request body.")
        .define(
            SESSION_TIMEOUT_MINUTES_CONFIG,
            Type.INT,
            480,
            Range.between(1, 7 * 24 * 60),
            Importance.LOW,
            "A session idle for longer must log in again.")
        .define(
            COOKIE_SECURE_CONFIG,
            Type.BOOLEAN,
            false,
            Importance.MEDIUM,
            "Mark the session cookie Secure (set when served over HTTPS).")
        .define(
            MODEL_VERSIONS_CONFIG,
            Type.LIST,
            "",
            Importance.LOW,
            "If set, flags of other model versions are skipped (logged and counted).")
        .define(
            PAGE_SIZE_CONFIG,
            Type.INT,
            50,
            Range.between(1, 500),
            Importance.LOW,
            "Rows per queue page.");
  }
}
