package dev.vectorcache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.VectorStoreConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every example's {@code main} (no servers: embedded stores, in-process Qdrant test server).
 */
class ExamplesRunTest {
  /** What {@code main} printed on System.out. */
  interface Main {
    void run() throws Exception;
  }

  static List<String> output(Main main) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      main.run();
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void springAiApplicationRetrievesRemembersAndAnswersTheSecondQuestionFromTheCache()
      throws Exception {
    List<String> lines = output(() -> SpringAiApplication.main(new String[0]));
    String answer = "Memory-mapped vectors stay off the Java heap; the page cache holds them.";
    assertThat(lines)
        .containsExactly(
            "retrieved: [mmap, int8]",
            "model:  " + answer,
            "cached: " + answer,
            "conversation alice: 4 messages",
            "model calls: 1");
  }

  @Test
  void springAiWithoutBootSearchesRemembersAndAdvises() throws Exception {
    List<String> lines = output(() -> SpringAiWithoutBoot.main(new String[0]));
    assertThat(lines)
        .containsExactly("found: [a]", "conversations: [user-17]", "answer: I do not know.");
  }

  @Test
  void quickStartPrintsTheTwoEnglishArticlesNearestFirst() throws Exception {
    List<String> lines = output(() -> QuickStart.main(new String[0]));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("intro").endsWith("Intro");
    assertThat(lines.get(1)).startsWith("setup").endsWith("Setup");
  }

  @Test
  void modelMigrationCopiesEveryEntryAndSwitchesToTheNewModel() throws Exception {
    List<String> lines = output(() -> ModelMigration.main(new String[0]));
    assertThat(lines)
        .containsExactly(
            "copied so far: 3",
            "copied so far: 3",
            "copied 3, skipped as newer 0, failed 0; now toy-5 in articles__g1",
            "nearest: int8 quantization");
  }

  @Test
  void aDurableEmbeddedStoreHasItsPointsAfterReopening(@TempDir Path dir) throws Exception {
    List<String> lines = output(() -> DurableEmbeddedStore.main(new String[] {dir.toString()}));
    assertThat(lines).containsExactly("points after reopening: 2");
    assertThat(dir).isNotEmptyDirectory();
  }

  @Test
  void choosingBackendsResolvesTheServerAdaptersWithoutPrintingSecrets() throws Exception {
    List<String> lines = output(() -> ChoosingBackends.main(new String[0]));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("qdrant.internal").contains("qdrant-grpc");
    assertThat(lines.get(1)).contains("redis.internal").contains("lettuce");
    assertThat(String.join("\n", lines)).doesNotContain("cache:null@");
  }

  @Test
  void choosingBackendsOpensBothStores() throws Exception {
    // the opening code of the README, on the embedded stores
    try (ChoosingBackends.Stores stores =
        ChoosingBackends.open(VectorStoreConfig.embedded(), MetadataStoreConfig.embedded())) {
      assertThat(stores.vectors().ping().backend()).isEqualTo("memory");
      assertThat(stores.metadata().ping().backend()).isEqualTo("memory");
    }
  }

  @Test
  void failingRedisBuildsACacheWithItsBreakerClosed() throws Exception {
    List<String> lines = output(() -> FailingRedis.main(new String[0]));
    assertThat(lines).containsExactly("CLOSED 1 0");
  }

  @Test
  void nearCachingServesTheSecondSearchFromTheJvm() throws Exception {
    List<String> lines = output(() -> NearCaching.main(new String[0]));
    assertThat(lines).containsExactly("METADATA_STORE NEAR_CACHE 1");
  }

  @Test
  void tlsConfigsResolveToLettuceAndQdrantGrpcWithTheirTlsFiles() throws Exception {
    List<String> lines = output(() -> TlsConfigs.main(new String[0]));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .contains("rediss://redis.internal")
        .contains("clientKey=/etc/vectorcache/tls/client.key")
        .endsWith("-> lettuce");
    assertThat(lines.get(1))
        .contains("grpcs://qdrant.internal")
        .contains("trustedCertificates=/etc/vectorcache/tls/ca.crt")
        .endsWith("-> qdrant-grpc");
  }

  @Test
  void redisClientsResolveToLettuceAndJedis() throws Exception {
    List<String> lines = output(() -> RedisClients.main(new String[0]));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("-> lettuce").doesNotContain("s3cret");
    assertThat(lines.get(1)).contains("-> jedis");
  }

  @Test
  void scalingConfigsNameTheirTopologiesAndResolveWithoutSecrets() throws Exception {
    List<String> lines = output(() -> Scaling.main(new String[0]));
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("cluster ").endsWith("-> lettuce");
    assertThat(lines.get(1)).startsWith("cluster ").endsWith("-> jedis");
    assertThat(lines.get(2)).startsWith("sentinel rediss-sentinel://").endsWith("-> lettuce");
    assertThat(String.join("\n", lines)).doesNotContain("s3cret");
  }

  @Test
  void qdrantAdapterCreatesAMemoryOptimisedCollectionOverGrpc() throws Exception {
    List<String> lines = output(() -> QdrantAdapter.main(new String[0]));
    // 1: the hit of the cluster example; then the aliases example's listings and count; then the
    // fused hits of the hybrid example
    assertThat(lines).containsExactly("[docs] MMAP 1 [live] 1 1 1");
  }

  @Test
  void theTestServerExamplesRun() throws Exception {
    List<String> lines = output(() -> QdrantTestServerExamples.main(new String[0]));
    assertThat(lines)
        .contains("collections: 0", "store lists 0 collections", "secured: true")
        .anySatisfy(l -> assertThat(l).startsWith("after reset: 0 upserts, 0 requests"));
  }

  @Test
  void semanticCachingAnswersExactSemanticRejectsANearMissAndKeepsTenantsApart() throws Exception {
    List<String> lines = output(() -> SemanticCaching.main(new String[0]));
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).startsWith("llm").contains("-> answer #1 to: What is the capital");
    assertThat(lines.get(1))
        .startsWith("EXACT")
        .endsWith("-> answer #1 to: What is the capital of France?");
    assertThat(lines.get(2))
        .startsWith("SEMANTIC")
        .contains("capital city of France? -> answer #1");
    assertThat(lines.get(3)).startsWith("llm").contains("Germany? -> answer #2");
    assertThat(lines.get(4)).startsWith("llm").contains("France? -> answer #3");
    assertThat(lines.get(5)).isEqualTo("llm calls: 3, texts embedded: 3");
  }

  @Test
  void langChain4jBridgeRetrievesRemembersAndCachesTheSecondAnswer() throws Exception {
    List<String> lines = output(() -> LangChain4jBridge.main(new String[0]));
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0))
        .startsWith("retrieved 0.")
        .endsWith("Refunds are paid within 14 days.");
    assertThat(lines.get(1)).isEqualTo("memory of user-17: 1 message");
    assertThat(lines.get(2)).isEqualTo("model  (model answer 1) How long does a refund take?");
    assertThat(lines.get(3)).isEqualTo("cached (model answer 1) How long does a refund take?");
  }
}
