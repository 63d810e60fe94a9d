package io.codegloss.cli;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;

/**
 * The module rules, checked over the production classes of every module (this module depends on all
 * the others, so all of them are on its test classpath).
 *
 * <p>SQL runs only in the table owners ({@code core.store}) and the infrastructure below them
 * (connections and admin statements in {@code core.db}, JobRunr's own table in {@code core.queue},
 * Flyway in {@code migrations}).
 */
@AnalyzeClasses(
    packages = "io.codegloss",
    importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NoTestJars.class})
class ArchitectureTest {

  /**
   * In a reactor build the other modules' test-jars (the shared fixtures) are on this module's
   * class path as jars, which {@link ImportOption.DoNotIncludeTests} does not recognise.
   */
  static final class NoTestJars implements ImportOption {
    @Override
    public boolean includes(com.tngtech.archunit.core.importer.Location location) {
      return !location.contains("-tests.jar") && !location.contains("/test-classes/");
    }
  }

  /** One owner class per table (RepositoryTable, SpanTable, JobTable...) and the state words. */
  static final String OWNERS = "io.codegloss.core.store..";

  /** Where statements may be prepared and executed: the owners and the infrastructure. */
  static final String[] MAY_RUN_SQL = {
    OWNERS,
    "io.codegloss.core.db..", // connections, the embedded server
    "io.codegloss.core.queue..", // the JobRunr storage provider
    "io.codegloss.migrations.." // Flyway and the schema stamp
  };

  /** The owners' methods that change rows; everything else on an owner only reads. */
  static final String WRITES = "(insert|upsert|update|delete|record|mark|clear|store|save|bump).*";

  // ------------------------------------------------------------------ (a) no cycles

  @ArchTest
  static final ArchRule modulesDependOnlyOnTheModulesTheirPomsName =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("core")
          .definedBy("io.codegloss.core..")
          .layer("migrations")
          .definedBy("io.codegloss.migrations..")
          .layer("scheduler")
          .definedBy("io.codegloss.scheduler..")
          .layer("worker")
          .definedBy("io.codegloss.worker..")
          .layer("dashboard")
          .definedBy("io.codegloss.dashboard..")
          .layer("bench")
          .definedBy("io.codegloss.bench..")
          .layer("cli")
          .definedBy("io.codegloss.cli..")
          .whereLayer("cli")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("bench")
          .mayOnlyBeAccessedByLayers("cli")
          .whereLayer("dashboard")
          .mayOnlyBeAccessedByLayers("cli")
          .whereLayer("worker")
          .mayOnlyBeAccessedByLayers("bench", "cli")
          .whereLayer("scheduler")
          .mayOnlyBeAccessedByLayers("bench", "cli")
          .whereLayer("migrations")
          .mayOnlyBeAccessedByLayers("scheduler", "worker", "dashboard", "bench", "cli");

  @ArchTest
  static final ArchRule noModuleDependsOnAnotherInACycle =
      slices().matching("io.codegloss.(*)..").namingSlices("module $1").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule noPackageDependsOnAnotherInACycle =
      slices().matching("io.codegloss.(**)").namingSlices("package $1").should().beFreeOfCycles();

  // ------------------------------------------------------------------ (b) SQL only in its owner

  @ArchTest
  static final ArchRule onlyTheTableOwnersAndTheInfrastructureRunSql =
      noClasses()
          .that()
          .resideOutsideOfPackages(MAY_RUN_SQL)
          .should()
          .callMethodWhere(runsSql())
          .as(
              "only table owners ("
                  + String.join(", ", Arrays.asList(MAY_RUN_SQL))
                  + ") prepare or execute SQL")
          .because("each table has one home: its SQL, its state words and its fixtures");

  // ------------------------------------------------------------------ (c) who uses which owner

  @ArchTest
  static final ArchRule theDashboardAndTheCliOnlyRead =
      noClasses()
          .that()
          .resideInAnyPackage("io.codegloss.dashboard..", "io.codegloss.cli..")
          .should()
          .callMethodWhere(writesTo(".*"))
          .because("the dashboard shows the system and the CLI changes it through the modules");

  @ArchTest
  static final ArchRule onlyTheSchedulerAndTheBenchWriteTheIndex =
      noClasses()
          .that()
          .resideOutsideOfPackages("io.codegloss.scheduler..", "io.codegloss.bench..", OWNERS)
          .should()
          .callMethodWhere(writesTo("RepositoryTable|FileTable|SkippedFileTable|SpanTable"))
          .because(
              "the indexer (and enqueue --full) own what the repository contains; the bench trims"
                  + " it to its selection");

  @ArchTest
  static final ArchRule onlyTheWorkerWritesWhatAModelSaid =
      noClasses()
          .that()
          .resideOutsideOfPackages("io.codegloss.worker..", OWNERS)
          .should()
          .callMethodWhere(writesTo("EnrichmentTable|SpanLinkTable|LlmCallTable|WorkerTable"))
          .because("enrichments, their links, LLM calls and worker rows come from workers only");

  @ArchTest
  static void theRulesSeeEveryModule(JavaClasses classes) {
    for (String module :
        new String[] {"core", "migrations", "scheduler", "worker", "dashboard", "bench", "cli"}) {
      if (classes.stream()
          .noneMatch(c -> c.getPackageName().startsWith("io.codegloss." + module))) {
        throw new AssertionError("no production class of module " + module + " was imported");
      }
    }
    if (classes.contain(ArchitectureTest.class) || classes.containPackage("io.codegloss.testing")) {
      throw new AssertionError("test classes were imported: the rules would check fixtures too");
    }
  }

  /** Connection.prepareStatement/prepareCall/createStatement and Statement.execute*. */
  static DescribedPredicate<JavaCall<?>> runsSql() {
    DescribedPredicate<JavaCall<?>> prepares =
        target(owner(assignableTo(Connection.class)))
            .and(target(nameMatching("prepareStatement|prepareCall|createStatement")));
    DescribedPredicate<JavaCall<?>> executes =
        target(owner(assignableTo(Statement.class))).and(target(nameMatching("execute.*")));
    return prepares.or(executes).as("prepares or executes a JDBC statement");
  }

  /** A call of a writing method of a table owner whose simple name matches {@code tables}. */
  static DescribedPredicate<JavaCall<?>> writesTo(String tables) {
    DescribedPredicate<JavaClass> owners =
        resideInAPackage(OWNERS)
            .and(
                DescribedPredicate.describe(
                    "named " + tables,
                    // the owner itself, not the records it returns (a record's updatedAt() reads)
                    c -> c.isTopLevelClass() && c.getSimpleName().matches(tables)));
    return target(owner(owners))
        .and(target(nameMatching(WRITES)))
        .as("calls a writing method (" + WRITES + ") of an owner named " + tables);
  }
}
