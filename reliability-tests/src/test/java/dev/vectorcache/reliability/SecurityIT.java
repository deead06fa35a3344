package dev.vectorcache.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.exception.AuthenticationException;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.qdrant.QdrantVectorStore;
import dev.vectorcache.qdrant.testserver.FaultMode;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.VectorStoreConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Secrets and isolation. This class runs in a JVM of its own (see the pom) with every SLF4J logger
 * at TRACE, written to one file, and every {@code java.util.logging} logger at ALL, captured in
 * memory. Its scenarios use the canary Redis password and Qdrant API key in every way an
 * application does (stores, reads, subscriptions, reconnections after {@code CLIENT KILL} and a
 * restart, timeouts on a frozen server, Qdrant faults, wrong and missing credentials, URLs with
 * credentials); at the end neither canary appears in the log or in any exception text. Wrong or
 * missing credentials are typed {@link AuthenticationException}s. Two caches on the same servers,
 * with different collections and key prefixes, never see each other's entries or events.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {
  private static final int DIM = 8;
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final Duration TTL = Duration.ofMinutes(10);
  private static final ConcurrentLinkedQueue<String> JUL = new ConcurrentLinkedQueue<>();
  private static final Handler CAPTURE =
      new Handler() {
        private final SimpleFormatter format = new SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
          JUL.add(format.format(r));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private static Level rootLevel;

  private static QdrantTestServer qdrant;
  private static RedisNode redis;

  @BeforeAll
  static void start() {
    Logger root = Logger.getLogger("");
    rootLevel = root.getLevel();
    root.setLevel(Level.ALL);
    CAPTURE.setLevel(Level.ALL);
    root.addHandler(CAPTURE);
    qdrant = Qdrant.startServer();
    redis = RedisNode.start();
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
    if (qdrant != null) {
      qdrant.close();
    }
    Logger root = Logger.getLogger("");
    root.removeHandler(CAPTURE);
    root.setLevel(rootLevel);
  }

  @Order(1)
  @ParameterizedTest
  @EnumSource(Client.class)
  void everyUseOfTheCredentials(Client client) throws Exception {
    try (VectorCache cache =
        cache(client, "canary_" + client.name().toLowerCase(java.util.Locale.ROOT), "canary:")) {
      ConcurrentLinkedQueue<MetadataEvent> events = new ConcurrentLinkedQueue<>();
      try (Subscription sub = cache.subscribe(events::add)) {
        for (int i = 0; i < 20; i++) {
          cache.store("k" + i, Vecs.of(3, i, DIM), Map.of("i", (long) i), TTL);
        }
        assertThat(cache.searchSimilar(Vecs.of(3, 0, DIM), 5)).isNotEmpty();
        redis.clientKill("normal");
        redis.clientKill("pubsub");
        assertThat(cache.get("k1")).isPresent();
        redis.kill();
        redis.restart();
        assertThat(cache.get("k2")).isPresent(); // from the payload, whatever Redis's state
        redis.pause();
        try {
          assertThat(cache.searchSimilar(Vecs.of(3, 3, DIM), 5)).isNotEmpty();
        } finally {
          redis.resume();
        }
        qdrant.faults().injectTimes(FaultMode.UNAVAILABLE, 3);
        for (int i = 0; i < 3; i++) {
          try {
            cache.get("k" + i);
          } catch (RuntimeException e) {
            Outcomes.typed("get while Qdrant fails", e);
          }
        }
        qdrant.faults().clear();
        assertThat(sub.channel()).isNotBlank();
      }
    }
  }

  @Order(2)
  @ParameterizedTest
  @EnumSource(Client.class)
  void wrongOrMissingRedisCredentialsAreAuthenticationErrors(Client client) throws Exception {
    for (String password : new String[] {"wrong-" + Canaries.REDIS_PASSWORD, null}) {
      assertThatThrownBy(() -> client.open(redis, "auth:", TIMEOUT, b -> b.password(password)))
          .satisfies(e -> Outcomes.typed("open with a wrong password", e))
          .isInstanceOf(AuthenticationException.class);
    }
    AsyncMetadataStore store = client.open(redis, "auth:", TIMEOUT);
    try {
      store.ping().get(5, TimeUnit.SECONDS);
      redis.configSet("requirepass", "changed-" + Canaries.REDIS_PASSWORD);
      redis.clientKill("normal");
      // the first calls may still meet the killed connection (typed, unavailable); then every call
      // is an authentication error: the store reconnects and the server refuses its password
      Throwable last = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (!(last instanceof AuthenticationException) && System.nanoTime() < deadline) {
        last = Outcomes.unwrap(failureOf(store));
        Outcomes.typed("get after the password changed", last);
        Thread.sleep(50);
      }
      assertThat(last)
          .as("a call after the password changed")
          .isInstanceOf(AuthenticationException.class);
      for (int i = 0; i < 3; i++) {
        assertThat(Outcomes.unwrap(failureOf(store))).isInstanceOf(AuthenticationException.class);
      }
    } finally {
      redis.configSet("requirepass", Canaries.REDIS_PASSWORD);
      store.close();
    }
  }

  /** The failure of one get (an assertion error when it succeeds). */
  private static Throwable failureOf(AsyncMetadataStore store) throws InterruptedException {
    try {
      store.get("auth:k").get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return e;
    }
    throw new AssertionError("a get succeeded with a password the server no longer accepts");
  }

  @Order(3)
  @Test
  void wrongOrMissingQdrantApiKeysAreAuthenticationErrors() {
    for (String key : new String[] {"wrong-" + Canaries.QDRANT_API_KEY, null}) {
      VectorStoreConfig config =
          VectorStoreConfig.builder()
              .url(qdrant.url())
              .apiKey(key)
              .timeout(Duration.ofSeconds(2))
              .build();
      assertThatThrownBy(
              () -> {
                try (AsyncVectorStore store = QdrantVectorStore.open(config)) {
                  store.listCollections().get(5, TimeUnit.SECONDS);
                }
              })
          .satisfies(e -> Outcomes.typed("a call with a wrong API key", e))
          .extracting(Outcomes::unwrap)
          .isInstanceOf(AuthenticationException.class);
    }
  }

  @Order(4)
  @ParameterizedTest
  @EnumSource(Client.class)
  void twoCachesOnTheSameServersNeverSeeEachOthersEntries(Client client) throws Exception {
    String c = client.name().toLowerCase(java.util.Locale.ROOT);
    try (VectorCache a = cache(client, "tenant_a_" + c, "a-" + c + ":");
        VectorCache b = cache(client, "tenant_b_" + c, "b-" + c + ":")) {
      ConcurrentLinkedQueue<MetadataEvent> seenByA = new ConcurrentLinkedQueue<>();
      try (Subscription sub = a.subscribe(seenByA::add)) {
        for (int i = 0; i < 50; i++) {
          a.store("k" + i, Vecs.of(100, i, DIM), Map.of("tenant", "a"), TTL);
          b.store("k" + i, Vecs.of(200, i, DIM), Map.of("tenant", "b"), TTL);
        }
        b.delete("k0");
        Lead.flush(a);
        Lead.flush(b);
        for (int i = 0; i < 50; i++) {
          assertThat(a.get("k" + i).orElseThrow().metadata()).containsEntry("tenant", "a");
          List<CacheHit> hits = a.searchSimilar(Vecs.of(200, i, DIM), 10);
          assertThat(hits).extracting(h -> h.metadata().get("tenant")).containsOnly("a");
        }
        assertThat(b.get("k0")).isEmpty();
        assertThat(redis.keys("a-" + c + ":*"))
            .isNotEmpty()
            .allMatch(k -> k.startsWith("a-" + c + ":tenant_a"));
        assertThat(redis.keys("b-" + c + ":*"))
            .isNotEmpty()
            .allMatch(k -> k.startsWith("b-" + c + ":tenant_b"));
        Thread.sleep(
            300); // events are asynchronous: give B's a chance to arrive where they must not
        assertThat(seenByA).isNotEmpty().allMatch(e -> e.collection().equals("tenant_a_" + c));
        assertThat(sub.channel()).doesNotContain("tenant_b");
      }
    }
  }

  @Order(5)
  @Test
  void configurationsNeverShowTheSecrets() {
    String pw = Canaries.REDIS_PASSWORD;
    for (String url :
        List.of(
            "redis://default:" + pw + "@127.0.0.1:6390/0",
            "redis://:" + pw + "@127.0.0.1:6390",
            "redis://127.0.0.1:6390?password=" + pw,
            "redis://127.0.0.1:6390/0?PASSWORD=" + pw + "&timeout=2s",
            "rediss://user:" + pw + "@127.0.0.1:6390")) {
      try {
        MetadataStoreConfig config = MetadataStoreConfig.fromUrl(url);
        Canaries.assertAbsent(
            "MetadataStoreConfig of " + url.replace(pw, "***"), config + " " + config.maskedUrl());
      } catch (RuntimeException e) {
        Outcomes.typed("MetadataStoreConfig.fromUrl", e);
      }
    }
    VectorStoreConfig v =
        VectorStoreConfig.builder().url(qdrant.url()).apiKey(Canaries.QDRANT_API_KEY).build();
    Canaries.assertAbsent("VectorStoreConfig", v + " " + v.maskedUrl());
  }

  @Order(Integer.MAX_VALUE)
  @Test
  void theTraceLogHoldsNoCanary() throws IOException {
    String file = System.getProperty("reliability.traceLog");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        file != null, "runs in the security-trace execution, which writes the TRACE log");
    assertThat(LoggerFactory.getLogger("io.lettuce.core").isTraceEnabled()).as("TRACE on").isTrue();
    String log = Files.readString(Path.of(file), StandardCharsets.UTF_8);
    String jul = String.join("", JUL);
    System.out.printf(
        "security: TRACE log %,d bytes, java.util.logging %,d bytes%n", log.length(), jul.length());
    assertThat(log.length()).as("the TRACE log was written").isGreaterThan(100_000);
    assertThat(log)
        .as("Lettuce, Jedis and gRPC logged at TRACE/DEBUG")
        .contains("io.lettuce")
        .contains("redis.clients");
    // The in-process Qdrant test server logs the headers it receives through its own Netty
    // transport (NettyServerHandler): that is the test's server, not the library, and a real Qdrant
    // runs in a process of its own. Every other line counts.
    String ours =
        log.lines()
            .filter(l -> !l.contains(" io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler "))
            .collect(java.util.stream.Collectors.joining("\n"));
    Canaries.assertAbsent("the TRACE log " + file, ours);
    Canaries.assertAbsent("java.util.logging at ALL", jul);
  }

  private static VectorCache cache(Client client, String collection, String prefix) {
    VectorCache cache =
        VectorCache.builder()
            .collection(collection)
            .collectionConfig(CollectionConfig.builder(DIM, Distance.COSINE).build())
            .vectorStore(Qdrant.open(qdrant, Duration.ofSeconds(2)))
            .metadataStore(client.open(redis, prefix, TIMEOUT))
            .build();
    cache.initialize();
    return cache;
  }
}
