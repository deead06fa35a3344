package dev.vectorcache.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark once, in this JVM, with tiny parameters, to prove the suite runs (CI). It
 * asserts that each benchmark method produced a result and that the side figures were written; it
 * never asserts on a number that depends on speed.
 */
class BenchmarksSmokeTest {
  private static final Path SIDE = Path.of("target", "smoke-side.jsonl");

  /** The deployment of the topology benchmarks' smoke case. */
  private static final String SMOKE_TOPOLOGY = "cluster";

  @BeforeAll
  static void sideFile() throws Exception {
    Files.createDirectories(SIDE.getParent());
    Files.deleteIfExists(SIDE);
    System.setProperty("vectorcache.bench.side", SIDE.toString());
  }

  private static ChainedOptionsBuilder tiny(String benchmarkClass) {
    return tinyMatching("dev\\.vectorcache\\.benchmarks\\." + benchmarkClass + "\\.");
  }

  private static ChainedOptionsBuilder tinyMatching(String... regexes) {
    ChainedOptionsBuilder b = new OptionsBuilder();
    for (String regex : regexes) {
      b = b.include(regex);
    }
    return b.forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(100))
        .timeUnit(TimeUnit.SECONDS)
        .shouldFailOnError(true);
  }

  private static Map<String, Long> methods(Collection<RunResult> results) {
    return results.stream()
        .collect(
            Collectors.groupingBy(
                r -> {
                  String b = r.getParams().getBenchmark();
                  return b.substring(b.lastIndexOf('.', b.lastIndexOf('.') - 1) + 1);
                },
                TreeMap::new,
                Collectors.counting()));
  }

  private static void allScored(Collection<RunResult> results) {
    for (RunResult r : results) {
      assertThat(r.getPrimaryResult().getScore())
          .as("%s %s", r.getParams().getBenchmark(), r.getParams())
          .isPositive();
    }
  }

  private static String figure(String sideLine, String name) {
    Matcher m = Pattern.compile("\"" + name + "\": ([0-9.]+)").matcher(sideLine);
    assertThat(m.find()).as("%s in %s", name, sideLine).isTrue();
    return m.group(1);
  }

  private static List<String> sideLines(String benchmark) throws Exception {
    return Files.readAllLines(SIDE).stream()
        .filter(l -> l.contains("\"benchmark\": \"" + benchmark + "\""))
        .toList();
  }

  @Test
  void searchBenchmarkRunsEveryModeOnBothDatasets() throws Exception {
    Collection<RunResult> results =
        new Runner(
                tiny("SearchBenchmark")
                    .param("n", "2000")
                    .param("dim", "64")
                    .param("corpus", "200")
                    .build())
            .run();
    // 2 datasets x 2 storages x 3 quantizations, each on 1 and 2 threads
    assertThat(methods(results))
        .containsExactly(
            Map.entry("SearchBenchmark.search1Thread", 12L),
            Map.entry("SearchBenchmark.search2Threads", 12L));
    allScored(results);
    List<String> side = sideLines("SearchBenchmark");
    assertThat(side).hasSizeGreaterThanOrEqualTo(12);
    assertThat(side).allMatch(l -> l.contains("\"recallAt10\": "));
    assertThat(side)
        .anyMatch(l -> l.contains("\"dataset\": \"minilm\"") && l.contains("\"dimension\": 384"));
    assertThat(side)
        .filteredOn(l -> l.contains("FLOAT32"))
        .allMatch(l -> l.contains("\"recallAt10\": 1.00000"));
  }

  @Test
  void semanticCacheBenchmarkRunsOnBothClientsWithItsRoundTrips() throws Exception {
    Collection<RunResult> results =
        new Runner(
                tiny("SemanticCacheBenchmark")
                    .param("n", "2000")
                    .param("scopes", "10")
                    .param("dim", "64")
                    .build())
            .run();
    assertThat(methods(results))
        .containsOnlyKeys(
            "SemanticCacheBenchmark.exactHit",
            "SemanticCacheBenchmark.semanticHit",
            "SemanticCacheBenchmark.miss",
            "SemanticCacheBenchmark.redisRoundTrip",
            "SemanticCacheBenchmark.engineSearch",
            "SemanticCacheBenchmark.embeddingHit",
            "SemanticCacheBenchmark.embeddingMiss")
        .allSatisfy((method, runs) -> assertThat(runs).as(method).isEqualTo(2L));
    allScored(results);
    List<String> side = sideLines("SemanticCacheBenchmark");
    assertThat(side).as("one trial per method and client").hasSize(14);
    for (String line : side) {
      // an exact hit is one GET; a semantic hit adds the hydration's MGET; a miss is the GET
      assertThat(line)
          .contains("\"exactHit\": \"{get=1.0}\"")
          .contains("\"miss\": \"{get=1.0}\"")
          .contains("\"embeddingHit\": \"{mget=1.0}\"")
          .containsPattern("\"semanticHit\": \"\\{(get=1.0, mget=1.0|mget=1.0, get=1.0)\\}\"");
      assertThat(Double.parseDouble(figure(line, "redisBytesPerEmbedding.FLOAT32")))
          .isGreaterThan(Double.parseDouble(figure(line, "redisBytesPerEmbedding.INT8")));
    }
  }

  @Test
  void peerAndBandwidthBenchmarksRun() throws Exception {
    Collection<RunResult> peers =
        new Runner(tiny("PeerSearchBenchmark").param("n", "2000").param("dim", "64").build()).run();
    assertThat(methods(peers))
        .containsExactly(
            Map.entry("PeerSearchBenchmark.search1Thread", 2L),
            Map.entry("PeerSearchBenchmark.search2Threads", 2L));
    allScored(peers);
    Collection<RunResult> bandwidth =
        new Runner(tiny("MemoryBandwidthBenchmark").param("n", "2000").param("dim", "64").build())
            .run();
    assertThat(methods(bandwidth).keySet())
        .containsExactly(
            "MemoryBandwidthBenchmark.streamSum1Thread",
            "MemoryBandwidthBenchmark.streamSum2Threads");
    allScored(bandwidth);
  }

  @Test
  void endToEndBenchmarkRunsWithBothRedisClients() throws Exception {
    RedisServerExtension.requireOrSkip(
        RedisServer.findBinary().isPresent(), "redis-server is not installed; CI installs it");
    Collection<RunResult> results;
    try {
      results =
          new Runner(
                  tiny("CacheEndToEndBenchmark")
                      .param("n", "2000")
                      .param("dim", "64")
                      .param("batch", "10")
                      .build())
              .run();
    } catch (RunnerException e) {
      throw new AssertionError("the end-to-end benchmark failed", e);
    }
    assertThat(methods(results))
        .containsExactly(
            Map.entry("CacheEndToEndBenchmark.engineSearch", 2L),
            Map.entry("CacheEndToEndBenchmark.engineSearchAsCache", 2L),
            Map.entry("CacheEndToEndBenchmark.engineSearchThenGet", 2L),
            Map.entry("CacheEndToEndBenchmark.engineSearchThenMget", 2L),
            Map.entry("CacheEndToEndBenchmark.redisRoundTrip", 2L),
            Map.entry("CacheEndToEndBenchmark.searchSimilar", 2L),
            Map.entry("CacheEndToEndBenchmark.storeAll", 2L));
    allScored(results);
    List<String> side = sideLines("CacheEndToEndBenchmark");
    assertThat(side).hasSize(14); // setup runs per trial: 7 methods x 2 clients
    Set<String> clients =
        side.stream()
            .map(
                l ->
                    l.contains("\"lettuce\"") ? "lettuce" : l.contains("\"jedis\"") ? "jedis" : "?")
            .collect(Collectors.toSet());
    assertThat(clients).containsExactlyInAnyOrder("lettuce", "jedis");
    assertThat(side).allMatch(l -> l.contains("\"hitsPerSearch\": 10.0000"));
    // hydration of 10 hits is one MGET, and nothing else reaches Redis during a search
    assertThat(side).allMatch(l -> l.contains("\"redisCommandsPerSearch\": 1.00000"));
  }

  /**
   * One case of each topology benchmark, on the deployment they exist to measure (the others run
   * only under JMH: starting a cluster per trial would take the smoke test minutes).
   */
  @Test
  void topologyAndEventBenchmarksRunOnOneCase() throws Exception {
    RedisServerExtension.requireOrSkip(
        RedisServer.findBinary().isPresent(), "redis-server is not installed; CI installs it");
    Collection<RunResult> results;
    try {
      results =
          new Runner(
                  tinyMatching(
                          "dev\\.vectorcache\\.benchmarks\\.RedisTopologyBenchmark\\.getAll$",
                          "dev\\.vectorcache\\.benchmarks\\.EventPropagationBenchmark\\.storePublish$")
                      .mode(Mode.AverageTime)
                      .param("topology", SMOKE_TOPOLOGY)
                      .param("client", "jedis")
                      .param("keys", "10")
                      .param("entries", "200")
                      .param("clusterReplicas", "0")
                      .build())
              .run();
    } catch (RunnerException e) {
      throw new AssertionError("a topology benchmark failed", e);
    }
    assertThat(methods(results))
        .containsExactly(
            Map.entry("EventPropagationBenchmark.storePublish", 1L),
            Map.entry("RedisTopologyBenchmark.getAll", 1L));
    allScored(results);
    List<String> getAll = sideLines("RedisTopologyBenchmark");
    assertThat(getAll).hasSize(2); // the setup counts getAll of 10 and of 100 keys
    // every key found (setup checks), never one GET per key
    assertThat(getAll).allMatch(l -> l.contains("\"getPerGetAll\": 0.00000"));
    // on the cluster: one MGET per distinct slot of the keys, on all three primaries
    assertThat(getAll).allMatch(l -> l.contains("\"nodesWithMget\": 3"));
    assertThat(getAll)
        .allSatisfy(
            l ->
                assertThat(figure(l, "mgetPerGetAll"))
                    .isEqualTo(figure(l, "distinctSlotsPerGetAll")));
    List<String> events = sideLines("EventPropagationBenchmark");
    assertThat(events).singleElement().satisfies(l -> assertThat(l).contains("vc-bench-b"));
  }
}
