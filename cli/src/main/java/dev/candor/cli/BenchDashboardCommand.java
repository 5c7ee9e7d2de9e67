package dev.candor.cli;

import dev.candor.dashboard.Dashboard;
import dev.candor.dashboard.DashboardBench;
import dev.candor.dashboard.DashboardConfig;
import dev.candor.kafka.EmbeddedKafka;
import dev.candor.schemas.TopicKind;
import dev.candor.schemas.Topics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Fills the dashboard's database and times its queue, search and item pages. */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description =
        "Fill a dashboard database with generated flagged items and time the queue page, deep"
            + " pagination, filters, full-text search and the item page over HTTP.")
final class BenchDashboardCommand implements Callable<Integer> {
  private static final String TOKEN = "bench-token-" + Long.toHexString(System.nanoTime());

  @Spec CommandSpec spec;

  @Option(names = "--items", defaultValue = "100000", description = "items to store")
  int items;

  @Option(names = "--repeats", defaultValue = "30", description = "timed requests per page")
  int repeats;

  @Option(names = "--warmup", defaultValue = "5", description = "untimed requests first")
  int warmup;

  @Option(
      names = "--db-url",
      description = "JDBC URL (default: a new H2 file database in a temporary directory)")
  String dbUrl;

  @Option(
      names = "--no-fill",
      description = "time an already filled --db-url (e.g. from an earlier run) without filling")
  boolean noFill;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--out", defaultValue = "docs/benchmarks.md")
  Path out;

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Path tmp = null;
    String url = dbUrl;
    if (url == null) {
      tmp = Files.createTempDirectory("candor-bench-dashboard");
      url = "jdbc:h2:file:" + tmp.resolve("db").toAbsolutePath();
    }
    String loadBefore = loadAverage();
    try {
      if (noFill && dbUrl == null) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--no-fill needs --db-url");
      }
      long t0 = System.nanoTime();
      if (!noFill) {
        DashboardBench.fill(
            url,
            "",
            "",
            items,
            seed,
            n -> {
              if (n % 10_000 == 0 || n == items) {
                err.println("stored " + n + " items");
              }
            });
      }
      double fillS = (System.nanoTime() - t0) / 1e9;
      List<String> lines = new ArrayList<>();
      lines.add("| request | median ms | IQR ms | min–max ms | n |");
      lines.add("|---|---|---|---|---|");
      try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
        Topics topics = Topics.defaults();
        for (TopicKind k : List.of(TopicKind.FLAGS, TopicKind.PREDICTIONS, TopicKind.FEEDBACK)) {
          kafka.createTopic(topics.name(k), 1, false);
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(DashboardConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(DashboardConfig.DB_URL_CONFIG, url);
        p.put(DashboardConfig.PORT_CONFIG, 0);
        p.put(DashboardConfig.TOKEN_CONFIG, TOKEN);
        try (Dashboard d = Dashboard.start(new DashboardConfig(p))) {
          Map<String, String> requests = new LinkedHashMap<>();
          requests.put("queue, pages 1-20 (50 rows + total count)", "/?page={page}");
          requests.put("queue, page 1000 (offset 49,950)", "/?page=1000");
          requests.put(
              "filter detector + label + model, pages 1-20",
              "/?type=identity-term&label=offensive&model=v2&page={page}");
          requests.put("filter not reviewed, pages 1-20", "/?reviewed=no&page={page}");
          requests.put(
              "search common word '" + DashboardBench.COMMON_WORD + "', pages 1-20",
              "/?q=" + DashboardBench.COMMON_WORD + "&page={page}");
          requests.put("search a different rare word each time (term0-term4999)", "/?q={rare}");
          requests.put("search without match, pages 1-20", "/?q=nosuchwordanywhere&page={page}");
          requests.put("item page, a different item each time", "/item?id=bench-{item}");
          for (Map.Entry<String, String> e : requests.entrySet()) {
            double[] ms =
                DashboardBench.time(d.port(), "admin", TOKEN, e.getValue(), items, warmup, repeats);
            Stats s = Stats.of(ms);
            String matches = "";
            if (e.getValue().startsWith("/?") && !e.getValue().contains("{rare}")) {
              String first = e.getValue().replace("{page}", "1");
              matches = " (" + DashboardBench.total(d.port(), "admin", TOKEN, first) + " matches)";
            }
            lines.add(
                String.format(
                    Locale.ROOT,
                    "| %s%s | **%.1f** | %.1f–%.1f | %.1f–%.1f | %d |",
                    e.getKey(),
                    matches,
                    s.median(),
                    s.p25(),
                    s.p75(),
                    s.min(),
                    s.max(),
                    s.n()));
            err.println(lines.get(lines.size() - 1));
          }
        }
      }
      String md =
          "## Dashboard (`candor bench dashboard`)\n\n"
              + "Run "
              + Instant.now()
              + " on: "
              + MachineInfo.describe()
              + "  \n"
              + "Database: "
              + (dbUrl == null
                  ? "H2 file (embedded)"
                  : url.replaceAll("(?i)password=[^&;]*", "password=***"))
              + ", "
              + items
              + " generated flagged items (seeded synthetic texts of 8–39 words), "
              + (noFill
                  ? "stored by an earlier run"
                  : "stored in "
                      + String.format(Locale.ROOT, "%.1f s (%.0f items/s)", fillS, items / fillS))
              + ". Times are whole HTTP requests from a client in the same JVM, server-rendered"
              + " HTML, logged in; "
              + warmup
              + " warm-up requests each. Search: every query word must be a word of the text"
              + " (indexed table of lower-cased words), with a total count for pagination."
              + " Load average (1/5/15 min) before the fill: "
              + loadBefore
              + ", after the timings: "
              + loadAverage()
              + " (other processes share the machine).  \n"
              + "Command: `"
              + Invocation.of(spec)
              + "`\n\n"
              + String.join("\n", lines)
              + "\n";
      BenchmarkDoc.writeSection(out, "dashboard", md);
      spec.commandLine().getOut().println(md);
      spec.commandLine().getOut().println("written to " + out.toAbsolutePath());
      return 0;
    } finally {
      if (tmp != null) {
        dev.candor.model.io.Directories.deleteRecursively(tmp);
      }
    }
  }
}
