package dev.berth.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/**
 * The shape of the code, checked on the compiled classes of every module: the server is cut into
 * feature packages that never import each other in a circle, the bottom packages import no feature,
 * the server never touches the Kubernetes client, core stays free of frameworks, and modules depend
 * downwards only (server, then the runtimes and OCI, then core). See docs/architecture.md for the
 * picture.
 */
@AnalyzeClasses(
    packages = "dev.berth",
    importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NoTestJars.class})
class ArchitectureTest {
  /** Features of the server: each holds its API, operations, store and portal pages. */
  /** The packages below every feature; every other server package is a feature. */
  private static final String[] BOTTOM = {
    "dev.berth.server.access..",
    "dev.berth.server.config..",
    "dev.berth.server.portal..",
    "dev.berth.server.support..",
    "dev.berth.server.web..",
  };

  @ArchTest
  static void serverPackagesFormNoCycle(JavaClasses classes) {
    slices().matching("dev.berth.server.(**)").should().beFreeOfCycles().check(classes);
  }

  @ArchTest
  static void bottomPackagesImportNoFeature(JavaClasses classes) {
    noClasses()
        .that()
        .resideInAnyPackage(BOTTOM)
        .should()
        .dependOnClassesThat(
            com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage(
                    "dev.berth.server..")
                .and(
                    com.tngtech.archunit.base.DescribedPredicate.not(
                        com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(
                            BOTTOM))))
        .because(
            "access control, settings, the portal frame, crypto, SQL and web helpers sit below every feature")
        .check(classes);
  }

  @ArchTest
  static void serverDoesNotUseTheKubernetesClient(JavaClasses classes) {
    noClasses()
        .that()
        .resideInAPackage("dev.berth.server..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.fabric8..")
        .because(
            "connecting to, checking and describing a cluster sit behind KubernetesConnector in the Kubernetes runtime")
        .check(classes);
  }

  @ArchTest
  static void coreHasNoFrameworks(JavaClasses classes) {
    noClasses()
        .that()
        .resideInAPackage("dev.berth.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "io.fabric8..",
            "java.net.http..",
            "jakarta.servlet..",
            "okhttp3..",
            "org.apache.hc..",
            "com.fasterxml.jackson..")
        .because(
            "core is plain Java: Spring, Kubernetes clients and HTTP live in the modules above it")
        .check(classes);
  }

  @ArchTest
  static void coreDependsOnNoOtherModule(JavaClasses classes) {
    noClasses()
        .that()
        .resideInAPackage("dev.berth.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.berth.oci..", "dev.berth.runtime..", "dev.berth.server..")
        .check(classes);
  }

  @ArchTest
  static void ociDependsOnCoreOnly(JavaClasses classes) {
    noClasses()
        .that()
        .resideInAPackage("dev.berth.oci..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.berth.runtime..", "dev.berth.server..")
        .check(classes);
  }

  @ArchTest
  static void runtimesDoNotKnowTheServerOrEachOther(JavaClasses classes) {
    noClasses()
        .that()
        .resideInAPackage("dev.berth.runtime.local..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.berth.server..", "dev.berth.runtime.kubernetes..")
        .check(classes);
  }

  @ArchTest
  static void kubernetesRuntimeDoesNotKnowTheServerOrTheLocalRuntime(JavaClasses classes) {
    noClasses()
        .that()
        .resideInAPackage("dev.berth.runtime.kubernetes..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.berth.server..", "dev.berth.runtime.local..")
        .check(classes);
  }

  @ArchTest
  static void commandLineIsAClientOfTheApiOnly(JavaClasses classes) {
    noClasses()
        .that()
        .resideInAPackage("dev.berth.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.berth.core..", "dev.berth.oci..", "dev.berth.runtime..", "dev.berth.server..")
        .because("the berth command line talks to Berth through its REST API only")
        .check(classes);
  }

  /**
   * Leaves out the modules' test-jars (fixtures such as in-memory stores), like the test classes.
   */
  static final class NoTestJars implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.contains("-tests.jar") && !location.contains("/test-classes/");
    }
  }
}
