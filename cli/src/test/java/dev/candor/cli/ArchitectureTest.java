package dev.candor.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module graph of {@code DESIGN.md} as a build check. It lives in {@code cli} because {@code
 * cli} is the one module whose test class path holds every other module's classes; nothing depends
 * on {@code cli}, so the check sees the whole product.
 *
 * <pre>
 *   schemas   model   embedded-kafka        (depend on no other module)
 *       \     /   \
 *      evaluation  |
 *      /   |   \   |
 *  stream trainer dashboard                 (may use schemas, model, evaluation)
 *       \   |   /
 *          cli                              (may use everything; nothing uses it)
 * </pre>
 *
 * Three rules: dependencies between modules point only down this graph; no module imports another
 * module's {@code internals} package; and no two packages anywhere depend on each other in a cycle.
 */
class ArchitectureTest {

  /** Module directory → root package, for the source-level check. */
  private static final Map<String, String> MODULE_DIRECTORIES =
      Map.of(
          "schemas", "dev.candor.schemas",
          "model", "dev.candor.model",
          "embedded-kafka", "dev.candor.kafka",
          "evaluation", "dev.candor.evaluation",
          "stream-app", "dev.candor.stream",
          "trainer", "dev.candor.trainer",
          "dashboard", "dev.candor.dashboard",
          "cli", "dev.candor.cli");

  private static JavaClasses product;

  @BeforeAll
  static void importProductClasses() {
    product =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.candor");
  }

  @Test
  void shouldSeeEveryExistingModule() {
    // A check that imported nothing would pass vacuously.
    for (String pkg : List.of("dev.candor.schemas", "dev.candor.model", "dev.candor.kafka")) {
      assertFalse(product.that(resideIn(pkg)).isEmpty(), "no classes imported from " + pkg);
    }
    for (String pkg : List.of("dev.candor.evaluation", "dev.candor.stream", "dev.candor.cli")) {
      assertFalse(product.that(resideIn(pkg)).isEmpty(), "no classes imported from " + pkg);
    }
  }

  @Test
  void shouldDependOnlyDownTheModuleGraph() {
    ArchRule graph =
        layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("schemas")
            .definedBy("dev.candor.schemas..")
            .layer("model")
            .definedBy("dev.candor.model..")
            .layer("embedded-kafka")
            .definedBy("dev.candor.kafka..")
            .layer("evaluation")
            .definedBy("dev.candor.evaluation..")
            .layer("stream-app")
            .definedBy("dev.candor.stream..")
            .optionalLayer("trainer")
            .definedBy("dev.candor.trainer..")
            .optionalLayer("dashboard")
            .definedBy("dev.candor.dashboard..")
            .layer("cli")
            .definedBy("dev.candor.cli..")
            .whereLayer("schemas")
            .mayNotAccessAnyLayer()
            .whereLayer("model")
            .mayNotAccessAnyLayer()
            .whereLayer("embedded-kafka")
            .mayNotAccessAnyLayer()
            .whereLayer("evaluation")
            .mayOnlyAccessLayers("model", "schemas")
            .whereLayer("stream-app")
            .mayOnlyAccessLayers("model", "schemas", "evaluation")
            .whereLayer("trainer")
            .mayOnlyAccessLayers("model", "schemas", "evaluation")
            .whereLayer("dashboard")
            .mayOnlyAccessLayers("model", "schemas", "evaluation")
            .whereLayer("cli")
            .mayNotBeAccessedByAnyLayer();
    graph.check(product);
  }

  @Test
  void shouldNotImportAnotherModulesInternals() {
    for (String module : MODULE_DIRECTORIES.values()) {
      ArchRule rule =
          noClasses()
              .that()
              .resideOutsideOfPackage(module + "..")
              .should()
              .dependOnClassesThat()
              .resideInAPackage(module + "..internals..")
              .because("internals are not an API: use " + module + "'s public packages")
              .allowEmptyShould(true);
      rule.check(product);
    }
  }

  /**
   * The same rule over the sources, tests included: javac inlines constants, so a use of another
   * module's internal {@code static final} constant leaves no trace in the bytecode checked above.
   */
  @Test
  void shouldNotNameAnotherModulesInternalsInAnySource() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    Pattern internals = Pattern.compile("\\bdev\\.candor\\.(\\w+)\\.(?:\\w+\\.)*internals\\b");
    List<String> offences = new ArrayList<>();
    int files = 0;
    for (String module : MODULE_DIRECTORIES.keySet()) {
      Path src = root.resolve(module).resolve("src");
      if (!Files.isDirectory(src)) {
        continue;
      }
      String own = MODULE_DIRECTORIES.get(module);
      try (Stream<Path> paths = Files.walk(src)) {
        for (Path file : paths.filter(f -> f.toString().endsWith(".java")).toList()) {
          files++;
          Matcher m = internals.matcher(Files.readString(file));
          while (m.find()) {
            if (!("dev.candor." + m.group(1)).equals(own)) {
              offences.add(root.relativize(file) + " names " + m.group());
            }
          }
        }
      }
    }
    assertTrue(files > 100, "only " + files + " source files found under " + root);
    assertTrue(
        offences.isEmpty(), "another module's internals named in:\n" + String.join("\n", offences));
  }

  @Test
  void shouldHaveNoPackageCycles() {
    slices().matching("dev.candor.(**)").should().beFreeOfCycles().check(product);
  }

  private static com.tngtech.archunit.base.DescribedPredicate<
          com.tngtech.archunit.core.domain.JavaClass>
      resideIn(String pkg) {
    return com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage(pkg + "..");
  }
}
