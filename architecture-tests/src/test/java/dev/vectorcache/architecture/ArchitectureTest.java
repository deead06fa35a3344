package dev.vectorcache.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The layering rules of docs/architecture.md, checked on the compiled classes of every module.
 *
 * <p>A class's module is read from where it was loaded ({@code <module>/target/classes} in the
 * reactor, {@code vectorcache-<module>-<version>.jar} from a repository), so the rules speak of
 * Maven modules, not only of packages.
 */
@DisplayName("The architecture")
class ArchitectureTest {
  /** A module's folder in the reactor: {@code <module>/target/classes} or its jar in target. */
  private static final Pattern IN_REACTOR = Pattern.compile(".*/([A-Za-z0-9-]+)/target/[^/]+.*");

  /** An artifact from a repository: {@code vectorcache-<artifact>-<version>.jar}. */
  private static final Pattern FROM_JAR = Pattern.compile(".*/vectorcache-([A-Za-z0-9-]+?)-\\d.*");

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("/jmh_generated/"))
            .importPackages("dev.vectorcache");
  }

  /** The Maven module that holds {@code c}: its folder name, e.g. {@code core}, {@code spi}. */
  static String moduleOf(JavaClass c) {
    String uri = c.getSource().map(s -> s.getUri().toString()).orElse("");
    Matcher m = IN_REACTOR.matcher(uri);
    if (m.matches()) {
      return m.group(1);
    }
    Matcher j = FROM_JAR.matcher(uri);
    if (!j.matches()) {
      return "unknown";
    }
    // the one artifact whose name is not its folder's
    return j.group(1).equals("in-memory") ? "in-memory-fake" : j.group(1);
  }

  private static DescribedPredicate<JavaClass> inModule(String module) {
    return DescribedPredicate.describe("in module " + module, c -> moduleOf(c).equals(module));
  }

  @Test
  @DisplayName("imports the classes of every module it checks")
  void seesEveryModule() {
    Set<String> modules =
        classes.stream()
            .map(ArchitectureTest::moduleOf)
            .collect(java.util.stream.Collectors.toSet());
    assertThat(modules)
        .contains(
            "core",
            "spi",
            "in-memory-fake",
            "redis-lettuce",
            "redis-jedis",
            "qdrant-grpc",
            "semantic-cache",
            "micrometer",
            "langchain4j",
            "spring-ai",
            "spring-boot-starter")
        .doesNotContain("unknown");
  }

  @Test
  @DisplayName("uses an internal package only inside the module that holds it")
  void internalPackagesStayInTheirModule() {
    ArchCondition<JavaClass> sameModule =
        new ArchCondition<>("use .internal packages of their own module only") {
          @Override
          public void check(JavaClass origin, ConditionEvents events) {
            for (Dependency d : origin.getDirectDependenciesFromSelf()) {
              JavaClass target = d.getTargetClass();
              if (target.getPackageName().matches("dev\\.vectorcache(\\..+)?\\.internal(\\..+)?")
                  && !moduleOf(target).equals(moduleOf(origin))) {
                events.add(
                    SimpleConditionEvent.violated(
                        d,
                        moduleOf(origin)
                            + " uses "
                            + moduleOf(target)
                            + "'s internal class: "
                            + d.getDescription()));
              }
            }
          }
        };
    classes().should(sameModule).check(classes);
  }

  @Test
  @DisplayName("has no cycles between packages")
  void noPackageCycles() {
    slices().matching("dev.vectorcache.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  @DisplayName("keeps core free of any run-time dependency but SLF4J")
  void coreDependsOnSlf4jOnly() {
    ArchRule rule =
        classes()
            .that(inModule("core"))
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(
                "java..", "dev.vectorcache.core..", "org.slf4j..", "org.jspecify.annotations..");
    rule.check(classes);
  }

  @Test
  @DisplayName("keeps the spi on core alone (and the JDK's TLS and crypto packages)")
  void spiDependsOnCoreOnly() {
    // javax.net.ssl and javax.crypto: TlsMaterial reads the TlsConfig files with the JDK alone,
    // once for every adapter
    classes()
        .that(inModule("spi"))
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "javax.net.ssl..",
            "javax.crypto..",
            "dev.vectorcache.core..",
            "dev.vectorcache.spi..",
            "org.slf4j..",
            "org.jspecify.annotations..")
        .check(classes);
  }

  @Test
  @DisplayName("builds the semantic cache on core alone, and its metrics on Micrometer only")
  void integrationsDependOnCoreOnly() {
    classes()
        .that(inModule("semantic-cache"))
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "dev.vectorcache.core..",
            "dev.vectorcache.semantic..",
            "org.slf4j..",
            "org.jspecify.annotations..")
        .check(classes);
    classes()
        .that(inModule("micrometer"))
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "dev.vectorcache.core..",
            "dev.vectorcache.semantic..",
            "dev.vectorcache.micrometer..",
            "io.micrometer..",
            "org.jspecify.annotations..")
        .check(classes);
  }

  @Test
  @DisplayName(
      "builds the LangChain4j integration on core, the semantic cache and LangChain4j only")
  void langchain4jDependsOnCoreSemanticCacheAndLangChain4jOnly() {
    classes()
        .that(inModule("langchain4j"))
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "dev.vectorcache.core..",
            "dev.vectorcache.semantic..",
            "dev.vectorcache.langchain4j..",
            "dev.langchain4j..",
            "org.slf4j..",
            "org.jspecify.annotations..")
        .check(classes);
  }

  @Test
  @DisplayName("builds the Spring AI integration on core, the semantic cache and Spring AI only")
  void springAiDependsOnCoreSemanticCacheAndSpringAiOnly() {
    classes()
        .that(inModule("spring-ai"))
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "dev.vectorcache.core..",
            "dev.vectorcache.semantic..",
            "dev.vectorcache.spring.ai..",
            "org.springframework.ai..",
            "io.micrometer.observation..",
            "reactor..",
            "org.slf4j..",
            "org.jspecify.annotations..")
        .check(classes);
  }

  @Test
  @DisplayName("lets the starter reach the adapters through the spi only, never by their classes")
  void starterFindsAdaptersThroughTheSpi() {
    noClasses()
        .that(inModule("spring-boot-starter"))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.vectorcache.redis..", "dev.vectorcache.qdrant..", "dev.vectorcache.inmemory..")
        .check(classes);
  }

  @Test
  @DisplayName("never lets one adapter depend on another")
  void adaptersAreIndependent() {
    String[][] pairs = {
      {"redis-lettuce", "dev.vectorcache.redis.jedis.."},
      {"redis-jedis", "dev.vectorcache.redis.lettuce.."},
      {"redis-lettuce", "dev.vectorcache.qdrant.."},
      {"redis-jedis", "dev.vectorcache.qdrant.."},
      {"qdrant-grpc", "dev.vectorcache.redis.."},
      {"qdrant-grpc", "dev.vectorcache.inmemory.."},
      {"in-memory-fake", "dev.vectorcache.redis.."},
      {"in-memory-fake", "dev.vectorcache.qdrant.."},
    };
    for (String[] pair : pairs) {
      noClasses()
          .that(inModule(pair[0]))
          .should()
          .dependOnClassesThat()
          .resideInAPackage(pair[1])
          .check(classes);
    }
  }
}
