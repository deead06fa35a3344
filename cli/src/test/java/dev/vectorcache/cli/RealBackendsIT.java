package dev.vectorcache.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vectorcache.qdrant.testserver.FaultMode;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.qdrant.testserver.QdrantTestServerExtension;
import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every command in-process against a real redis-server (the testkit extension: REDIS_URL, else a
 * private redis-server process) and the Qdrant-compatible gRPC test server (API key required).
 */
@ExtendWith(RedisServerExtension.class)
class RealBackendsIT {
  static final String API_KEY = "It-ApiKey-Canary-5d1e";

  @RegisterExtension
  static final QdrantTestServerExtension QDRANT = QdrantTestServerExtension.withApiKey(API_KEY);

  private final RedisServer redis;

  RealBackendsIT(RedisServer redis) {
    this.redis = redis;
  }

  CliRunner runner() {
    return new CliRunner(Map.of("QDRANT_API_KEY", API_KEY, "REDIS_URL", redis.url()));
  }

  String qdrantUrl() {
    return QDRANT.server().url();
  }

  static String unique(String prefix) {
    return prefix + "-" + System.nanoTime();
  }

  @Test
  void checkReachesBothWithTheDefaultClients() {
    CliRunner.Result r = runner().run("check", "--json", "--qdrant-url", qdrantUrl());
    assertThat(r.exitCode()).as(r.all()).isZero();
    JsonNode q = r.json().get("backends").get(0);
    assertThat(q.get("provider").asText()).isEqualTo("qdrant-grpc");
    assertThat(q.get("server").get("version").asText()).isEqualTo(QdrantTestServer.VERSION);
    JsonNode redisReport = r.json().get("backends").get(1);
    assertThat(redisReport.get("provider").asText()).isEqualTo("lettuce");
    assertThat(redisReport.get("reason").asText()).contains("highest priority");
    assertThat(redisReport.get("urlSource").asText()).isEqualTo("REDIS_URL");
    assertThat(redisReport.get("server").get("kind").asText()).isEqualTo("redis");
    assertThat(redisReport.get("server").get("version").asText()).matches("\\d+\\.\\d+.*");
    assertThat(r.all()).doesNotContain(API_KEY);
  }

  @Test
  void jedisCanBeNamed() {
    CliRunner.Result r =
        runner().run("check", "--qdrant-url", qdrantUrl(), "--redis-client", "jedis");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out())
        .contains("provider:      jedis [dev.vectorcache:vectorcache-redis-jedis]")
        .contains("why:           client 'jedis' was named in the configuration");
  }

  @Test
  void wrongApiKeyFailsMaskedInOneLine() {
    String badKey = "Wrong-Key-Canary-8a2f";
    CliRunner.Result r =
        new CliRunner(Map.of("QDRANT_API_KEY", badKey, "REDIS_URL", redis.url()))
            .run("check", "--qdrant-url", qdrantUrl(), "--timeout", "2s");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.all()).doesNotContain(badKey).doesNotContain(API_KEY);
    assertThat(r.out()).contains("but:").contains("UNAUTHENTICATED");
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .startsWith("vectorcache check: qdrant: collection 'vectorcache': ");
  }

  @Test
  void redisPasswordInTheUrlIsNeverPrinted() {
    assumeTrue(!redis.url().contains("@"), "REDIS_URL already has credentials");
    String password = "Redis-Pw-Canary-3c9b";
    String url = redis.url().replaceFirst("redis://", "redis://:" + password + "@");
    for (String client : new String[] {"lettuce", "jedis"}) {
      CliRunner.Result r =
          new CliRunner(Map.of("QDRANT_API_KEY", API_KEY))
              .run(
                  "check",
                  "--json",
                  "--qdrant-url",
                  qdrantUrl(),
                  "--redis-url",
                  url,
                  "--redis-client",
                  client,
                  "--timeout",
                  "2s");
      // a server without requirepass may accept or refuse the password: either way it is masked
      assertThat(r.all()).as(client).doesNotContain(password).contains("redis://****@");
      assertThat(r.json().get("backends").get(1).get("provider").asText()).isEqualTo(client);
    }
  }

  @Test
  void unreachableQdrantFaultIsReported() {
    QDRANT.server().faults().inject(FaultMode.UNAVAILABLE);
    CliRunner.Result r = runner().run("check", "--qdrant-url", qdrantUrl(), "--timeout", "2s");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).contains("vectorcache check: qdrant:");
  }

  @Test
  void killedRedisIsUnreachable() {
    assumeTrue(redis.canKill(), "REDIS_URL points at a server the test must not kill");
    redis.kill();
    CliRunner.Result r = runner().run("check", "--qdrant-url", qdrantUrl(), "--timeout", "1s");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err().lines()).singleElement().asString().startsWith("vectorcache check: redis: ");
  }

  @Test
  void demoOnRealServers() {
    String collection = unique("demo");
    CliRunner.Result r =
        runner()
            .run(
                "demo",
                "--json",
                "--qdrant-url",
                qdrantUrl(),
                "--collection",
                collection,
                "--memory-points",
                "50");
    assertThat(r.exitCode()).as(r.all()).isZero();
    JsonNode doc = r.json();
    for (int i = 0; i < SampleCorpus.QUERIES.size(); i++) {
      assertThat(
              doc.get("searches").get(i).get("hits").get(0).get("metadata").get("topic").asText())
          .isEqualTo(SampleCorpus.QUERIES.get(i).expectedTopic());
    }
    // metadata came from Redis, not the Qdrant payload fallback
    assertThat(doc.get("searches").get(0).get("hits").get(0).get("source").asText())
        .isEqualTo("METADATA_STORE");
    assertThat(doc.get("expiry").get("presentBefore").booleanValue()).isTrue();
    assertThat(doc.get("expiry").get("presentAfter").booleanValue()).isFalse();
    assertThat(doc.get("memory")).hasSize(4);
    // collections were deleted at the end
    assertThat(QDRANT.server().backend().collectionExists(collection)).isFalse();
  }

  @Test
  void loadThenSearchAndInfoInSeparateRunsShareTheServers() {
    String collection = unique("docs");
    String file =
        TestFiles.write(
            SampleCorpus.DOCS.stream()
                .map(
                    d ->
                        Json.compact(
                            Map.of(
                                "key",
                                d.key(),
                                "text",
                                d.text(),
                                "metadata",
                                Map.of("title", d.title(), "topic", d.topic()))))
                .collect(Collectors.joining("\n")));
    CliRunner.Result load =
        runner()
            .run(
                "load",
                file,
                "--qdrant-url",
                qdrantUrl(),
                "--collection",
                collection,
                "--batch",
                "16");
    assertThat(load.exitCode()).as(load.all()).isZero();
    assertThat(load.out()).contains("loaded 40 entries").contains("3 batches");
    assertThat(load.err()).doesNotContain("lives inside this one process");

    JsonNode hits =
        runner()
            .run(
                "search",
                "--json",
                "--qdrant-url",
                qdrantUrl(),
                "--collection",
                collection,
                "--text",
                "how far away are the stars",
                "--limit",
                "3")
            .json()
            .get("hits");
    assertThat(hits).hasSize(3);
    hits.forEach(h -> assertThat(h.get("metadata").get("topic").asText()).isEqualTo("astronomy"));

    JsonNode filtered =
        runner()
            .run(
                "search",
                "--json",
                "--qdrant-url",
                qdrantUrl(),
                "--collection",
                collection,
                "--text",
                "stars in the night sky",
                "--filter",
                "{\"must\":[{\"key\":\"topic\",\"match\":{\"value\":\"travel\"}}]}")
            .json()
            .get("hits");
    assertThat(filtered.get(0).get("key").asText()).isEqualTo("trip-04");

    CliRunner.Result info =
        runner().run("info", "--json", "--qdrant-url", qdrantUrl(), "--collection", collection);
    assertThat(info.exitCode()).as(info.all()).isZero();
    JsonNode c = info.json().get("collection");
    assertThat(c.get("points").asLong()).isEqualTo(40);
    assertThat(c.get("config").get("storageMode").asText()).isEqualTo("MMAP");
    assertThat(c.get("config").get("quantization").get("type").asText()).isEqualTo("SCALAR_INT8");

    CliRunner.Result check =
        runner().run("check", "--qdrant-url", qdrantUrl(), "--collection", collection);
    assertThat(check.out()).contains("'" + collection + "' exists: 40 points");
  }
}
