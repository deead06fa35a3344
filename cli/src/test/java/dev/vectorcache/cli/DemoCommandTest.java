package dev.vectorcache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoCommandTest {
  @Test
  void textDemoRunsEveryStepOnTheEmbeddedDefault() {
    CliRunner runner = new CliRunner();
    CliRunner.Result r = runner.run("demo", "--memory-points", "200");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out())
        .contains("1. Collection 'vectorcache-demo' (memory-optimised)")
        .contains("384-d COSINE, storage MMAP, quantization int8 scalar")
        .contains("2. Stored 40 entries (astronomy 10, cooking 10, programming 10, travel 10)")
        .contains("query: \"how far away are the stars\"")
        .contains("rank   score  key")
        .contains("before: get -> present")
        .contains("after:  get -> gone (expired); in search results: no")
        .contains("5. Memory per storage mode (200 random 384-d vectors each")
        .contains("MMAP + int8 (memory-optimised)")
        .contains("Done.");
    // one duration style: the short form the options take
    assertThat(r.out())
        .contains("with TTL 1s (expires at")
        .contains("present, expires in 1s;")
        .contains("waiting 1.5s ...")
        .doesNotContainPattern("\\d ms\\b")
        .doesNotContainPattern("\\d s\\b");
    // the memory-optimised mode's extra heap is explained
    assertThat(r.out())
        .contains("heap/vector")
        .contains("its int8 codes (384 B per vector) stay in RAM")
        .contains("as Qdrant keeps them with always_ram");
    // the wait went through the injected sleeper: the clock moved, no real time passed
    assertThat(runner.sleeps).containsExactly(DemoCommand.EXPIRY_WAIT);
  }

  @Test
  void topHitsHaveTheExpectedTopics() {
    CliRunner.Result r = CliRunner.exec("demo", "--json", "--memory-points", "50");
    assertThat(r.exitCode()).as(r.all()).isZero();
    JsonNode searches = r.json().get("searches");
    assertThat(searches).hasSize(SampleCorpus.QUERIES.size());
    for (int i = 0; i < SampleCorpus.QUERIES.size(); i++) {
      SampleCorpus.Query q = SampleCorpus.QUERIES.get(i);
      JsonNode s = searches.get(i);
      assertThat(s.get("query").asText()).isEqualTo(q.text());
      JsonNode top = s.get("hits").get(0);
      assertThat(top.get("metadata").get("topic").asText())
          .as(q.text())
          .isEqualTo(q.expectedTopic());
      assertThat(top.get("rank").asInt()).isEqualTo(1);
    }
    // for the astronomy question, the first three hits are all astronomy
    List<String> topics = new ArrayList<>();
    searches.get(0).get("hits").forEach(h -> topics.add(h.get("metadata").get("topic").asText()));
    assertThat(topics).containsOnly("astronomy").hasSize(3);
    assertThat(searches.get(0).get("hits").get(0).get("key").asText()).isEqualTo("astro-01");
    // scores are sorted best first
    JsonNode hits = searches.get(1).get("hits");
    assertThat(hits.get(0).get("score").asDouble())
        .isGreaterThanOrEqualTo(hits.get(1).get("score").asDouble());
  }

  @Test
  void expiryAndMemoryAreReported() {
    CliRunner.Result r = CliRunner.exec("demo", "--json", "--memory-points", "100");
    JsonNode doc = r.json();
    JsonNode exp = doc.get("expiry");
    assertThat(exp.get("presentBefore").booleanValue()).isTrue();
    assertThat(exp.get("inSearchBefore").booleanValue()).isTrue();
    assertThat(exp.get("presentAfter").booleanValue()).isFalse();
    assertThat(exp.get("inSearchAfter").booleanValue()).isFalse();
    assertThat(exp.get("ttlMillis").asLong()).isEqualTo(1000);

    JsonNode mem = doc.get("memory");
    assertThat(mem).hasSize(4);
    List<String> modes = new ArrayList<>();
    mem.forEach(
        m -> {
          modes.add(m.get("config").get("storageMode").asText());
          assertThat(m.get("points").asLong()).isEqualTo(100);
          assertThat(m.get("memory").get("known").booleanValue()).isTrue();
          assertThat(m.get("memory").get("heapBytes").asLong()).isPositive();
        });
    assertThat(modes).containsExactly("IN_MEMORY", "IN_MEMORY", "MMAP", "MMAP");
    assertThat(mem.get(3).get("config").get("quantization").get("type").asText())
        .isEqualTo("SCALAR_INT8");
    assertThat(doc.get("kept").booleanValue()).isFalse();
  }

  @Test
  void demoOnANamedStoreDeletesItsCollectionsUnlessKept() {
    String store = "memory:demo-" + System.nanoTime();
    assertThat(CliRunner.exec("demo", "--qdrant-url", store, "--memory-points", "10").exitCode())
        .isZero();
    CliRunner.Result after = CliRunner.exec("info", "--json", "--qdrant-url", store);
    assertThat(after.json().get("collections")).isEmpty();

    assertThat(
            CliRunner.exec("demo", "--qdrant-url", store, "--memory-points", "10", "--keep")
                .exitCode())
        .isZero();
    CliRunner.Result info =
        CliRunner.exec("info", "--json", "--qdrant-url", store, "--collection", "vectorcache-demo");
    assertThat(info.exitCode()).as(info.all()).isZero();
    // 40 corpus entries and the expired flash-sale point (no sweeper runs in the demo)
    assertThat(info.json().get("collection").get("points").asLong()).isBetween(40L, 41L);
  }

  @Test
  void waitIsLongerThanTheTtl() {
    assertThat(DemoCommand.EXPIRY_WAIT).isGreaterThan(DemoCommand.EXPIRING_TTL);
    assertThat(DemoCommand.EXPIRY_WAIT).isLessThanOrEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void badLimitIsAUsageError() {
    CliRunner.Result r = CliRunner.exec("demo", "--limit", "0");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("invalid --limit: expected 1 to 40, found 0");
  }
}
