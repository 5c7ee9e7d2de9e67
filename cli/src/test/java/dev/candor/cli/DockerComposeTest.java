package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.candor.stream.StreamAppConfig;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Checks docker-compose.yml, its CPU override and docker/Dockerfile against the code without a
 * Docker daemon: build stages, copied and mounted files, the commands and options the services run,
 * every environment variable against the configuration keys it must set, ports across compose,
 * Prometheus and Grafana, volumes, and that docs/operations.md documents every variable.
 */
class DockerComposeTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path ROOT = root();
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)");
  // Read by docker/candor or by the commands' picocli defaults, not by a config class.
  private static final Set<String> LAUNCHER_VARS =
      Set.of("CANDOR_JAVA_OPTS", "CANDOR_LOG_LEVEL", "CANDOR_HOME", "CANDOR_DATA");
  // Services whose command and config classes come from modules built on other branches.
  private static final Map<String, String> CONFIG_CLASS_OF =
      Map.of(
          "trainer", "dev.candor.trainer.TrainerConfig",
          "dashboard", "dev.candor.dashboard.DashboardConfig");

  private final JsonNode compose = read(ROOT.resolve("docker-compose.yml"));
  private final List<String> dockerfile = lines(ROOT.resolve("docker/Dockerfile"));

  @Test
  void shouldBuildOnlyStagesTheDockerfileDeclares() {
    Set<String> stages = stages();
    assertTrue(stages.containsAll(List.of("build", "cpu", "gpu")), "stages: " + stages);
    Set<String> built = new TreeSet<>();
    for (Map.Entry<String, JsonNode> s : services().entrySet()) {
      JsonNode build = s.getValue().get("build");
      if (build != null) {
        assertTrue(
            Files.isRegularFile(
                ROOT.resolve(build.get("context").asText())
                    .resolve(build.get("dockerfile").asText())),
            s.getKey() + " dockerfile");
        String target = build.get("target").asText();
        assertTrue(stages.contains(target), s.getKey() + " builds unknown stage " + target);
        assertEquals("candor:" + target, s.getValue().get("image").asText(), s.getKey());
        built.add(s.getValue().get("image").asText());
      }
    }
    for (Map.Entry<String, JsonNode> s : services().entrySet()) {
      String image = s.getValue().get("image").asText();
      if (image.startsWith("candor:")) {
        assertTrue(built.contains(image), s.getKey() + " uses " + image + " nobody builds");
      }
    }
    JsonNode override = read(ROOT.resolve("docker-compose.cpu.yml"));
    String cpuTarget = override.at("/services/stream-app/build/target").asText();
    assertTrue(stages.contains(cpuTarget), "override target " + cpuTarget);
    assertEquals("cpu", override.at("/services/stream-app/environment/CANDOR_DEVICE").asText());
    assertTrue(override.at("/services/stream-app").has("deploy"), "override resets deploy");
  }

  @Test
  void shouldCopyOnlyExistingFilesAndDeclaredStages() {
    Set<String> stages = stages();
    for (String line : dockerfile) {
      String l = line.trim();
      if (!l.startsWith("COPY ")) {
        continue;
      }
      String[] parts = l.split("\\s+");
      if (parts[1].startsWith("--from=")) {
        assertTrue(stages.contains(parts[1].substring(7)), l);
      } else {
        for (int i = 1; i < parts.length - 1; i++) {
          if (!parts[i].equals(".")) {
            assertTrue(Files.exists(ROOT.resolve(parts[i])), "COPY source missing: " + l);
          }
        }
      }
    }
    assertTrue(Files.isExecutable(ROOT.resolve("docker/candor")), "docker/candor executable");
    // The build stage must produce what the runtime stages copy.
    assertTrue(
        String.join("\n", dockerfile).contains("package -pl cli -am"), "build packages the cli");
  }

  @Test
  void shouldRunTheRuntimeImagesSafelyAndHealthChecked() {
    for (String stage : List.of("cpu", "gpu")) {
      List<String> body = stage(stage);
      String text = String.join("\n", body);
      assertTrue(
          body.stream().anyMatch(l -> l.matches("USER candor\\s*")), stage + " runs as candor");
      assertTrue(text.contains("--uid 10001"), stage + " non-root uid");
      assertTrue(text.contains("HEALTHCHECK"), stage + " health check");
      assertTrue(text.contains("/health"), stage + " health check URL");
      assertTrue(text.contains("${CANDOR_METRICS_PORT}"), stage + " checks the metrics port");
      assertTrue(text.contains("CANDOR_METRICS_PORT=9464"), stage + " metrics port");
      assertEnvVarsAreStreamKeys(stage, envInDockerfile(body));
    }
    String gpu = String.join("\n", stage("gpu"));
    String pytorch = rootPomProperty("pytorch.native.version");
    assertTrue(gpu.contains("PYTORCH_VERSION=" + pytorch), "gpu PYTORCH_VERSION " + pytorch);
    assertTrue(gpu.contains("PYTORCH_FLAVOR=cu128"), "gpu flavor");
    assertTrue(gpu.contains("PYTORCH_LIBRARY_PATH=/opt/libtorch/lib"), "gpu library path");
    assertTrue(gpu.contains(pytorch + "%2Bcu128.zip"), "gpu fetches libtorch " + pytorch);
    assertTrue(gpu.contains("rm -f /opt/candor/lib/pytorch-native-cpu-"), "cpu natives removed");
    assertFalse(String.join("\n", stage("cpu")).contains("PYTORCH_"), "cpu image sets no PYTORCH_");
  }

  @Test
  void shouldSetOnlyStreamAppConfigKeysOnTheStreamApp() {
    Map<String, String> env = environment(services().get("stream-app"));
    assertEnvVarsAreStreamKeys("stream-app", env.keySet());
    // Every value the file fixes (no variable) is valid for StreamAppConfig.
    Map<String, String> fixed = new LinkedHashMap<>();
    Map<String, String> resolved = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (!LAUNCHER_VARS.contains(e.getKey())) {
        resolved.put(e.getKey(), defaultOf(e.getValue()));
      }
      if (!e.getValue().contains("${")) {
        fixed.put(e.getKey(), e.getValue());
      }
    }
    StreamAppConfig c = StreamAppConfig.fromProperties(Map.of(), resolved);
    assertEquals("kafka:9092", c.bootstrapServers());
    assertEquals(9464, c.metricsPort());
    assertEquals("gpu", c.device().name().toLowerCase());
    assertEquals(c.stateDir().toString(), fixed.get("CANDOR_STATE_DIR"));
    assertTrue(
        volumes(services().get("stream-app")).stream()
            .anyMatch(v -> v.equals(fixed.get("CANDOR_STATE_DIR"))),
        "the state dir is a volume of its own");
    assertTrue(
        c.modelBundleDir().startsWith(mountTarget("stream-app", "candor-models")),
        "model bundle dir on the models volume");
  }

  @Test
  void shouldRunExistingCommandsWithExistingOptions() {
    CommandLine candor = CandorCommand.commandLine();
    for (Map.Entry<String, JsonNode> s : services().entrySet()) {
      if (!s.getValue().get("image").asText().startsWith("candor:")) {
        continue;
      }
      List<String> cmd = new ArrayList<>();
      s.getValue().get("command").forEach(n -> cmd.add(n.asText()));
      CommandLine sub = candor.getSubcommands().get(cmd.get(0));
      if (sub == null && CONFIG_CLASS_OF.containsKey(s.getKey())) {
        continue; // checked by shouldRunTheOtherModulesCommands once those modules are merged
      }
      assertNotNull(sub, s.getKey() + " runs unknown command " + cmd.get(0));
      for (String arg : cmd) {
        if (arg.startsWith("--")) {
          assertNotNull(sub.getCommandSpec().findOption(arg), s.getKey() + ": " + arg);
        }
      }
    }
    // topics-init's variables are the topics command's defaults
    Set<String> defaults = new HashSet<>();
    for (Class<?> c : List.of(TopicsCommand.class, KafkaOptions.class)) {
      for (Field f : c.getDeclaredFields()) {
        CommandLine.Option o = f.getAnnotation(CommandLine.Option.class);
        if (o != null) {
          defaults.add(o.defaultValue());
        }
      }
    }
    for (String var : environment(services().get("topics-init")).keySet()) {
      assertTrue(
          defaults.stream().anyMatch(d -> d.contains("${env:" + var + ":-")),
          "candor topics does not read " + var + " (defaults " + defaults + ")");
    }
  }

  @Test
  void shouldRunTheOtherModulesCommands() throws Exception {
    CommandLine candor = CandorCommand.commandLine();
    List<String> absent = new ArrayList<>();
    for (Map.Entry<String, String> e : CONFIG_CLASS_OF.entrySet()) {
      JsonNode service = services().get(e.getKey());
      String command = service.get("command").get(0).asText();
      if (!candor.getSubcommands().containsKey(command) || !classExists(e.getValue())) {
        absent.add("candor " + command + " / " + e.getValue() + " (" + e.getKey() + " branch)");
        continue;
      }
      Set<String> envNames = new TreeSet<>();
      for (Field f : Class.forName(e.getValue()).getFields()) {
        if (Modifier.isStatic(f.getModifiers())
            && f.getType() == String.class
            && f.getName().endsWith("_CONFIG")) {
          envNames.add(StreamAppConfig.envName((String) f.get(null)));
        }
      }
      for (String var : environment(service).keySet()) {
        assertTrue(
            envNames.contains(var) || LAUNCHER_VARS.contains(var),
            e.getKey() + ": " + var + " is no key of " + e.getValue() + " " + envNames);
      }
      for (JsonNode arg : service.get("command")) {
        if (arg.asText().startsWith("--")) {
          assertNotNull(
              candor.getSubcommands().get(command).getCommandSpec().findOption(arg.asText()),
              e.getKey() + ": " + arg);
        }
      }
    }
    assumeTrue(absent.isEmpty(), "not on this branch yet, so unchecked: " + absent);
  }

  @Test
  void shouldAgreeOnPortsAcrossComposePrometheusAndGrafana() throws IOException {
    JsonNode stream = services().get("stream-app");
    String metricsPort = environment(stream).get("CANDOR_METRICS_PORT");
    assertTrue(stream.get("expose").toString().contains("\"" + metricsPort + "\""), "expose");
    JsonNode prom = read(ROOT.resolve("monitoring/prometheus/prometheus.yml"));
    JsonNode job = null;
    for (JsonNode j : prom.get("scrape_configs")) {
      if (j.get("job_name").asText().equals("candor-stream")) {
        job = j;
      }
    }
    assertNotNull(job, "candor-stream scrape job");
    JsonNode sd = job.get("dns_sd_configs").get(0);
    assertEquals(metricsPort, sd.get("port").asText(), "scrape port");
    assertEquals("stream-app", sd.get("names").get(0).asText(), "scraped service");

    // Kafka: the clients' bootstrap is the broker's internal listener
    Map<String, String> kafka = environment(services().get("kafka"));
    String bootstrap = environment(stream).get("CANDOR_BOOTSTRAP_SERVERS");
    assertTrue(kafka.get("KAFKA_ADVERTISED_LISTENERS").contains("PLAINTEXT://" + bootstrap));
    assertTrue(kafka.get("KAFKA_LISTENERS").contains("PLAINTEXT://:" + bootstrap.split(":")[1]));
    assertEquals(
        "apache/kafka:" + rootPomProperty("kafka.version"),
        services().get("kafka").get("image").asText(),
        "broker image matches the client version");

    // Dashboard: its port, the published port and the health check agree
    JsonNode dash = services().get("dashboard");
    String dashPort = environment(dash).get("CANDOR_DASHBOARD_PORT");
    assertTrue(dash.get("ports").get(0).asText().endsWith(":" + dashPort), "dashboard port");
    assertTrue(dash.get("healthcheck").get("test").toString().contains(":" + dashPort + "/"));
    assertTrue(
        environment(dash)
            .get("CANDOR_DASHBOARD_DB_URL")
            .startsWith("jdbc:postgresql://postgres:5432/"));

    // Grafana: the datasource is the prometheus service; the provider reads the mounted dashboards
    JsonNode ds = read(ROOT.resolve("monitoring/grafana/provisioning/datasources/prometheus.yml"));
    assertEquals("http://prometheus:9090", ds.get("datasources").get(0).get("url").asText());
    assertTrue(services().get("prometheus").get("ports").get(0).asText().endsWith(":9090"));
    JsonNode provider = read(ROOT.resolve("monitoring/grafana/provisioning/dashboards/candor.yml"));
    String dashboardsPath = provider.get("providers").get(0).get("options").get("path").asText();
    assertEquals(
        dashboardsPath, mountTarget("grafana", "./monitoring/grafana/dashboards"), "provider path");
    String promConfig = services().get("prometheus").get("command").get(0).asText();
    assertEquals(
        "--config.file=" + mountTarget("prometheus", "./monitoring/prometheus") + "/prometheus.yml",
        promConfig);
  }

  @Test
  void shouldMountExistingFilesAndDeclaredVolumes() {
    Set<String> declared = new TreeSet<>();
    compose.get("volumes").fieldNames().forEachRemaining(declared::add);
    Set<String> used = new TreeSet<>();
    for (Map.Entry<String, JsonNode> s : services().entrySet()) {
      for (String v : volumes(s.getValue())) {
        String[] parts = defaultOf(v).split(":");
        if (parts.length == 1) {
          continue; // anonymous volume
        }
        String source = parts[0];
        if (source.startsWith("./")) {
          if (!v.contains("${")) {
            assertTrue(
                Files.exists(ROOT.resolve(source)), s.getKey() + " mounts missing " + source);
          }
        } else {
          assertTrue(declared.contains(source), s.getKey() + " uses undeclared volume " + source);
          used.add(source);
        }
      }
      JsonNode deps = s.getValue().get("depends_on");
      if (deps != null) {
        deps.fieldNames()
            .forEachRemaining(
                d -> assertTrue(services().containsKey(d), s.getKey() + " depends on " + d));
        if (deps.isArray()) {
          deps.forEach(d -> assertTrue(services().containsKey(d.asText()), d.asText()));
        }
      }
    }
    assertEquals(declared, used, "every declared volume is used");
  }

  @Test
  void shouldDocumentEveryVariable() throws IOException {
    String docs = Files.readString(ROOT.resolve("docs/operations.md"));
    Set<String> vars = new TreeSet<>();
    for (String f : List.of("docker-compose.yml", "docker-compose.cpu.yml")) {
      Matcher m = VARIABLE.matcher(Files.readString(ROOT.resolve(f)));
      while (m.find()) {
        vars.add(m.group(1));
      }
    }
    for (Map.Entry<String, JsonNode> s : services().entrySet()) {
      vars.addAll(environment(s.getValue()).keySet());
    }
    assertTrue(vars.size() > 20, "variables: " + vars);
    Set<String> missing = new TreeSet<>();
    for (String v : vars) {
      if (!docs.contains("`" + v + "`")) {
        missing.add(v);
      }
    }
    assertTrue(missing.isEmpty(), "not in docs/operations.md: " + missing);
  }

  @Test
  void shouldPassDockerComposeConfig() throws Exception {
    Path bin = Path.of("/usr/bin/docker-compose");
    assumeTrue(
        Files.isExecutable(bin),
        "docker-compose is not installed (scripts/ci-prometheus.sh installs Debian's 1.29)");
    Process p =
        new ProcessBuilder(
                bin.toString(), "--env-file", ".env.example", "-f", "docker-compose.yml", "config")
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "docker-compose config hung");
    assertEquals(0, p.exitValue(), out);
    JsonNode resolved = YAML.readTree(out);
    assertEquals(
        services().keySet(), fieldNames(resolved.get("services")), "services after resolution");
    assertEquals(
        "4", resolved.at("/services/topics-init/environment/CANDOR_TOPIC_PARTITIONS").asText());
  }

  // ---- helpers ----

  private void assertEnvVarsAreStreamKeys(String where, Iterable<String> vars) {
    Set<String> known = new TreeSet<>();
    for (String key : StreamAppConfig.configDef().names()) {
      known.add(StreamAppConfig.envName(key));
    }
    for (String var : vars) {
      if (var.startsWith("CANDOR_") && !LAUNCHER_VARS.contains(var)) {
        assertTrue(known.contains(var), where + ": " + var + " is no StreamAppConfig key");
      }
    }
  }

  private Map<String, JsonNode> services() {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    compose.get("services").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** The service's environment (a mapping; the file uses no YAML anchors or merge keys). */
  private static Map<String, String> environment(JsonNode service) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode env = service.get("environment");
    if (env != null) {
      env.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  private static List<String> volumes(JsonNode service) {
    List<String> out = new ArrayList<>();
    service.path("volumes").forEach(v -> out.add(v.asText()));
    return out;
  }

  private String mountTarget(String service, String source) {
    for (String v : volumes(services().get(service))) {
      String[] parts = v.split(":");
      if (parts.length > 1 && parts[0].equals(source)) {
        return parts[1];
      }
    }
    throw new AssertionError(service + " does not mount " + source);
  }

  /** {@code ${X:-d}} → d, {@code ${X:?msg}} → "", anything else unchanged. */
  private static String defaultOf(String value) {
    Matcher m = Pattern.compile("\\$\\{[A-Z0-9_]+(?::-([^}]*)|:\\?[^}]*)?}").matcher(value);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) == null ? "" : m.group(1)));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private Set<String> stages() {
    Set<String> out = new TreeSet<>();
    Pattern from = Pattern.compile("^FROM\\s+\\S+\\s+AS\\s+(\\S+)\\s*$", Pattern.CASE_INSENSITIVE);
    for (String l : dockerfile) {
      Matcher m = from.matcher(l.trim());
      if (m.matches()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /** The lines of one stage, from its FROM to the next FROM. */
  private List<String> stage(String name) {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String l : dockerfile) {
      if (l.startsWith("FROM ")) {
        in = l.trim().toLowerCase().endsWith(" as " + name);
      }
      if (in) {
        out.add(l);
      }
    }
    assertFalse(out.isEmpty(), "stage " + name);
    return out;
  }

  private static Set<String> envInDockerfile(List<String> stage) {
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("\\b(CANDOR_[A-Z0-9_]+)=").matcher(String.join("\n", stage));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static String rootPomProperty(String name) {
    try {
      String pom = Files.readString(ROOT.resolve("pom.xml"));
      Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
      assertTrue(m.find(), name + " in the root pom");
      return m.group(1).trim();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> out = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  private static boolean classExists(String name) {
    try {
      Class.forName(name);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static JsonNode read(Path file) {
    try {
      JsonNode n = YAML.readTree(file.toFile());
      assertTrue(n instanceof ObjectNode, file + " is a mapping");
      return n;
    } catch (IOException e) {
      throw new AssertionError(file + ": " + e, e);
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("docker-compose.yml"))) {
      dir = dir.getParent();
    }
    assertNotNull(dir, "no docker-compose.yml above " + Path.of("").toAbsolutePath());
    return dir;
  }
}
