package dev.candor.cli;

import dev.candor.schemas.Topics;
import dev.candor.trainer.ModelRegistry;
import dev.candor.trainer.ModelUpdatePublisher;
import dev.candor.trainer.RegistryState;
import dev.candor.trainer.VersionRecord;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Looks at and changes the model registry. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description =
        "The model registry: list versions, show one (with the gate's figures and why"
            + " it was refused), promote one, roll back to the previous production version.",
    subcommands = {
      ModelsCommand.ListVersions.class,
      ModelsCommand.Show.class,
      ModelsCommand.Promote.class,
      ModelsCommand.Rollback.class
    })
final class ModelsCommand {
  @Option(
      names = "--registry",
      scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "registry directory (default: ~/.candor/registry)")
  Path registry;

  ModelRegistry open() throws java.io.IOException {
    return ModelRegistry.open(registry != null ? registry : TrainerCommand.defaultRegistry());
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "every version")
  static final class ListVersions implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand ModelsCommand parent;

    @Override
    public Integer call() throws Exception {
      ModelRegistry r = parent.open();
      PrintWriter out = spec.commandLine().getOut();
      String current = r.current().orElse(null);
      for (VersionRecord v : r.records()) {
        Double acc = v.candidate() == null ? null : v.candidate().get("accuracy");
        out.printf(
            Locale.ROOT,
            "%s %-6s %-9s parent %-6s accuracy %s  %s%n",
            v.version().equals(current) ? "*" : " ",
            v.version(),
            v.decision(),
            v.parent() == null ? "-" : v.parent(),
            acc == null ? "   -  " : String.format(Locale.ROOT, "%.4f", acc),
            v.createdAt());
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "one version in full")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand ModelsCommand parent;

    @Parameters(index = "0", description = "version, e.g. v0002")
    String version;

    @Override
    public Integer call() throws Exception {
      ModelRegistry r = parent.open();
      PrintWriter out = spec.commandLine().getOut();
      VersionRecord v =
          r.record(version)
              .orElseThrow(() -> new IllegalArgumentException("no version " + version));
      RegistryState s = r.state().orElse(null);
      out.println(
          "version   "
              + v.version()
              + (s != null && version.equals(s.current()) ? " (production)" : ""));
      out.println("bundle    " + r.bundleDir(version) + " (" + v.bundleVersion() + ")");
      out.println("sha256    " + v.sha256());
      out.println("parent    " + (v.parent() == null ? "-" : v.parent()));
      out.println("created   " + v.createdAt());
      out.println("decision  " + v.decision());
      for (String reason : v.reasons()) {
        out.println(
            (v.decision() == VersionRecord.Decision.REFUSE ? "  refused: " : "  note: ") + reason);
      }
      if (!v.candidate().isEmpty()) {
        out.println("gate figures (candidate / production / tolerance):");
        for (Map.Entry<String, Double> e : v.candidate().entrySet()) {
          out.printf(
              Locale.ROOT,
              "  %-18s %8.4f %8.4f %8.4f%n",
              e.getKey(),
              e.getValue(),
              v.production().getOrDefault(e.getKey(), Double.NaN),
              v.tolerances().getOrDefault(e.getKey(), Double.NaN));
        }
      }
      out.println("feedback offsets " + v.feedbackOffsets());
      out.println("data hashes      " + v.dataHashes());
      out.println("counts           " + v.counts());
      out.printf(Locale.ROOT, "training         %.1f s%n", v.trainSeconds());
      return 0;
    }
  }

  @Command(
      name = "promote",
      mixinStandardHelpOptions = true,
      description = "make a version production and announce it on candor.model-updates")
  static final class Promote implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand ModelsCommand parent;
    @Mixin KafkaOptions kafka;

    @Option(names = "--model-name", defaultValue = "default", description = "ModelUpdate key")
    String modelName;

    @Option(names = "--no-publish", description = "change the registry only")
    boolean noPublish;

    @Parameters(index = "0", description = "version, e.g. v0002")
    String version;

    @Override
    public Integer call() throws Exception {
      ModelRegistry r = parent.open();
      r.makeCurrent(version);
      spec.commandLine().getOut().println(version + " is production");
      return publish(spec, r, kafka, modelName, noPublish);
    }
  }

  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description = "make the previous production version current again and announce it")
  static final class Rollback implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand ModelsCommand parent;
    @Mixin KafkaOptions kafka;

    @Option(names = "--model-name", defaultValue = "default", description = "ModelUpdate key")
    String modelName;

    @Option(names = "--no-publish", description = "change the registry only")
    boolean noPublish;

    @Override
    public Integer call() throws Exception {
      ModelRegistry r = parent.open();
      String now = r.rollback();
      spec.commandLine().getOut().println("rolled back: " + now + " is production");
      return publish(spec, r, kafka, modelName, noPublish);
    }
  }

  static int publish(
      CommandSpec spec, ModelRegistry r, KafkaOptions kafka, String modelName, boolean skip)
      throws java.io.IOException {
    if (skip) {
      spec.commandLine()
          .getOut()
          .println("not announced (--no-publish); the trainer announces it when it next starts");
      return 0;
    }
    Topics topics = Topics.builder().optPrefix(kafka.topicPrefix).build();
    var update =
        new ModelUpdatePublisher(kafka.bootstrapServers, topics.modelUpdates(), modelName)
            .publishPending(r);
    spec.commandLine()
        .getOut()
        .println(
            update == null
                ? "already announced"
                : "announced " + update.getVersion() + " on " + topics.modelUpdates().name());
    return 0;
  }
}
