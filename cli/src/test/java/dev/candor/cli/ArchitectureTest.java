package dev.candor.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
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

  /** Root package of each module, by the module's directory name. */
  private static final List<String> MODULE_PACKAGES =
      List.of(
          "dev.candor.schemas",
          "dev.candor.model",
          "dev.candor.kafka",
          "dev.candor.evaluation",
          "dev.candor.stream",
          "dev.candor.trainer",
          "dev.candor.dashboard",
          "dev.candor.cli");

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
    for (String module : MODULE_PACKAGES) {
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
