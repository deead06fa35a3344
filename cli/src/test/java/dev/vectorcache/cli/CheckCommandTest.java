package dev.vectorcache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckCommandTest {
  static final String CANARY = "Canary-Pa55-7f3a";
  static final String KEY_CANARY = "Canary-ApiKey-91c2";

  @Test
  void embeddedDefaultIsReachable() {
    CliRunner.Result r = CliRunner.exec("check");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(r.out())
        .contains("Qdrant (vector store)")
        .contains("Redis (metadata store)")
        .contains("memory: (default: no --qdrant-url or QDRANT_URL given)")
        .contains("provider:      memory [dev.vectorcache:vectorcache-in-memory]")
        .contains("why:           the only provider on the classpath for scheme 'memory'")
        .contains("server:        memory embedded")
        .contains("'vectorcache' does not exist")
        .contains("Result: OK");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void jsonReportsEachBackend() {
    CliRunner.Result r = CliRunner.exec("check", "--json", "--collection", "docs");
    assertThat(r.exitCode()).isZero();
    JsonNode doc = r.json();
    assertThat(doc.get("ok").booleanValue()).isTrue();
    assertThat(doc.get("collection").asText()).isEqualTo("docs");
    JsonNode q = doc.get("backends").get(0);
    assertThat(q.get("backend").asText()).isEqualTo("qdrant");
    assertThat(q.get("provider").asText()).isEqualTo("memory");
    assertThat(q.get("reason").asText()).contains("only provider");
    assertThat(q.get("reachable").booleanValue()).isTrue();
    assertThat(q.get("roundTrip").get("pings").asInt()).isEqualTo(3);
    assertThat(q.get("server").get("version").asText()).isEqualTo("embedded");
    assertThat(q.get("collection").get("exists").booleanValue()).isFalse();
    JsonNode redis = doc.get("backends").get(1);
    assertThat(redis.get("backend").asText()).isEqualTo("redis");
    assertThat(redis.get("reachable").booleanValue()).isTrue();
  }

  @Test
  void existingCollectionConfigIsShown() {
    String store = "memory:check-" + System.nanoTime();
    CliRunner.Result load =
        CliRunner.exec(
            "load",
            TestFiles.write("{\"key\":\"a\",\"text\":\"stars and galaxies\"}\n"),
            "--qdrant-url",
            store,
            "--collection",
            "docs");
    assertThat(load.exitCode()).as(load.all()).isZero();

    CliRunner.Result r = CliRunner.exec("check", "--qdrant-url", store, "--collection", "docs");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out())
        .contains("'docs' exists: 1 points")
        .contains("distance:    COSINE")
        .contains("dimension:   384")
        .contains("storage:     MMAP")
        .contains("quantization: SCALAR_INT8")
        .contains("payload:     on disk")
        .contains("on disk");

    JsonNode c =
        CliRunner.exec("check", "--json", "--qdrant-url", store, "--collection", "docs")
            .json()
            .get("backends")
            .get(0)
            .get("collection");
    assertThat(c.get("exists").booleanValue()).isTrue();
    assertThat(c.get("config").get("quantization").get("type").asText()).isEqualTo("SCALAR_INT8");
    assertThat(c.get("config").get("hnsw").get("onDisk").booleanValue()).isTrue();
    assertThat(c.get("config").get("onDiskPayload").booleanValue()).isTrue();
  }

  @Test
  void unreachableBackendFailsWithOneLineReasonAndMasksSecrets() {
    CliRunner.Result r =
        new CliRunner(Map.of("QDRANT_API_KEY", KEY_CANARY))
            .run(
                "check",
                "--qdrant-url",
                "down://admin:" + CANARY + "@127.0.0.1:6334",
                "--redis-url",
                "down://:" + CANARY + "@127.0.0.1:6379");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.all()).doesNotContain(CANARY).doesNotContain(KEY_CANARY);
    // the test provider's message did carry both secrets: they were masked, not lost
    assertThat(r.out()).contains("connection refused (down://****@127.0.0.1:6334 key=****)");
    assertThat(r.err().lines())
        .hasSize(2)
        .anySatisfy(l -> assertThat(l).startsWith("vectorcache check: qdrant: unavailable:"))
        .anySatisfy(l -> assertThat(l).startsWith("vectorcache check: redis: unavailable:"));
    assertThat(r.out()).contains("Result: FAILED (2 failures)");
  }

  @Test
  void secretsAreMaskedInJsonToo() {
    CliRunner.Result r =
        new CliRunner(
                Map.of(
                    "REDIS_URL",
                    "down://user:" + CANARY + "@10.0.0.1:6379",
                    "QDRANT_API_KEY",
                    KEY_CANARY))
            .run("check", "--json", "--qdrant-url", "down://127.0.0.1:6334");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.all()).doesNotContain(CANARY).doesNotContain(KEY_CANARY).contains("****");
    JsonNode doc = r.json();
    assertThat(doc.get("ok").booleanValue()).isFalse();
    assertThat(doc.get("backends").get(1).get("urlSource").asText()).isEqualTo("REDIS_URL");
    assertThat(doc.get("failures")).hasSize(2);
  }

  @Test
  void unknownSchemeIsAConfigurationError() {
    CliRunner.Result r =
        CliRunner.exec(
            "check",
            "--redis-url",
            "foo://u:" + CANARY + "@127.0.0.1:1/0",
            "--qdrant-url",
            "memory:");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.all()).doesNotContain(CANARY);
    assertThat(r.out()).contains("foo://****@127.0.0.1:1/0");
    assertThat(r.err())
        .contains(
            "vectorcache check: redis: configuration error: unknown metadata store URL scheme 'foo'");
  }

  @Test
  void flagsWinOverEnvironment() {
    CliRunner.Result r =
        new CliRunner(Map.of("REDIS_URL", "down://h:1", "QDRANT_URL", "down://h:2"))
            .run("check", "--json", "--redis-url", "memory:", "--qdrant-url", "memory:");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.json().get("backends").get(0).get("urlSource").asText()).isEqualTo("--qdrant-url");

    CliRunner.Result env = new CliRunner(Map.of("QDRANT_URL", "down://h:2")).run("check", "--json");
    assertThat(env.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(env.json().get("backends").get(0).get("urlSource").asText()).isEqualTo("QDRANT_URL");
  }

  @Test
  void hangingBackendTimesOut() {
    CliRunner.Result r =
        CliRunner.exec("check", "--qdrant-url", "hang://127.0.0.1:6334", "--timeout", "100ms");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out()).contains("NO (timeout)").contains("no answer within 100ms");
    assertThat(r.err()).contains("vectorcache check: qdrant: timed out: ping: no answer within");
  }

  @Test
  void badTimeoutIsAUsageError() {
    CliRunner.Result r = CliRunner.exec("check", "--timeout", "soon");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("--timeout")
        .contains("soon")
        .contains("Try 'vectorcache check --help'");
  }

  @Test
  void unknownClientNameIsReported() {
    CliRunner.Result r =
        CliRunner.exec("check", "--redis-url", "memory:", "--redis-client", "nosuch");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("unknown metadata store client 'nosuch'")
        .contains("[jedis, lettuce, memory]")
        .doesNotContain("qdrant-grpc");
  }
}
