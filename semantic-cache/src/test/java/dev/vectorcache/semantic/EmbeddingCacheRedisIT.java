package dev.vectorcache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.redis.jedis.JedisMetadataStore;
import dev.vectorcache.redis.lettuce.LettuceAsyncMetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The embedding cache against a real redis-server, through both clients: one {@code MGET} per batch
 * and one {@code SET} per new vector (pipelined), vectors that survive a new cache instance, the
 * key's TTL, and the bytes a cached vector takes in Redis.
 */
@ExtendWith(RedisServerExtension.class)
@DisplayName("EmbeddingCache against a real redis-server")
class EmbeddingCacheRedisIT {
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  enum Client {
    LETTUCE,
    JEDIS
  }

  private final List<AutoCloseable> opened = new ArrayList<>();
  private final List<List<String>> calls = new CopyOnWriteArrayList<>();

  private AsyncMetadataStore open(Client client, RedisServer redis, String prefix) {
    MetadataStoreConfig config =
        MetadataStoreConfig.builder().url(redis.url()).keyPrefix(prefix).build();
    AsyncMetadataStore store =
        switch (client) {
          case LETTUCE -> LettuceAsyncMetadataStore.open(config);
          case JEDIS -> JedisMetadataStore.open(config).async();
        };
    opened.add(store);
    return store;
  }

  private EmbeddingCacheBuilder builder(AsyncMetadataStore store, int dimension) {
    return EmbeddingCache.builder()
        .metadataStore(store)
        .embeddingFunction(
            texts -> {
              calls.add(List.copyOf(texts));
              return texts.stream().map(t -> vectorOf(t, dimension)).toList();
            })
        .modelId("all-MiniLM-L6-v2")
        .dimension(dimension);
  }

  private EmbeddingCache open(EmbeddingCacheBuilder b) {
    EmbeddingCache c = b.build();
    opened.add(c);
    return c;
  }

  private static float[] vectorOf(String text, int dimension) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(text.hashCode());
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1) / 7;
    }
    return v;
  }

  private static String prefix(Client client) {
    return "emb-it-"
        + client.name().toLowerCase(java.util.Locale.ROOT)
        + "-"
        + PREFIXES.incrementAndGet()
        + ":";
  }

  @AfterEach
  void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    return Map.of(
        "mget", after.getOrDefault("mget", 0L) - before.getOrDefault("mget", 0L),
        "get", after.getOrDefault("get", 0L) - before.getOrDefault("get", 0L),
        "set", after.getOrDefault("set", 0L) - before.getOrDefault("set", 0L),
        "evalsha", after.getOrDefault("evalsha", 0L) - before.getOrDefault("evalsha", 0L));
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  @DisplayName("a batch costs one MGET; its misses one embedding call and one SET each, pipelined")
  void oneRoundTripPerBatch(Client client, RedisServer redis) {
    EmbeddingCache cache = open(builder(open(client, redis, prefix(client)), 16));
    List<String> texts = List.of("a", "b", "a", "c", "d");

    Map<String, Long> before = redis.commandStats();
    List<float[]> first = cache.embedAll(texts);
    assertThat(delta(before, redis.commandStats()))
        .containsEntry("mget", 1L)
        .containsEntry("get", 0L)
        .containsEntry("set", 4L) // one per distinct miss, sent in one pipeline
        .containsEntry("evalsha", 0L); // unconditional writes: no compare-and-set script
    assertThat(calls).containsExactly(List.of("a", "b", "c", "d"));

    before = redis.commandStats();
    List<float[]> second = cache.embedAll(texts);
    assertThat(delta(before, redis.commandStats()))
        .containsEntry("mget", 1L)
        .containsEntry("get", 0L)
        .containsEntry("set", 0L);
    assertThat(calls).hasSize(1);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(second.get(i)).containsExactly(first.get(i));
    }
    assertThat(cache.stats()).isEqualTo(new EmbeddingCacheStats(4, 4, 1, 4, 0, 0));
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  @DisplayName("vectors survive a new cache instance on a new connection, bit for bit")
  void survivesANewInstance(Client client, RedisServer redis) {
    String prefix = prefix(client);
    List<String> texts = List.of("one", "two", "three");
    List<float[]> written = open(builder(open(client, redis, prefix), 32)).embedAll(texts);

    EmbeddingCache fresh = open(builder(open(client, redis, prefix), 32));
    List<float[]> read = fresh.embedAll(texts);
    assertThat(calls).hasSize(1); // the second instance embedded nothing
    for (int i = 0; i < texts.size(); i++) {
      assertThat(read.get(i)).containsExactly(vectorOf(texts.get(i), 32));
      assertThat(read.get(i)).containsExactly(written.get(i));
    }
    assertThat(fresh.stats().hits()).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  @DisplayName("the TTL is the Redis key's; without one the key never expires")
  void ttl(Client client, RedisServer redis) {
    String prefix = prefix(client);
    AsyncMetadataStore store = open(client, redis, prefix);
    EmbeddingCache expiring = open(builder(store, 8).namespace("ttl").ttl(Duration.ofMinutes(10)));
    expiring.embed("t");
    long pttl = (Long) redis.command("PTTL", prefix + expiring.key("t"));
    assertThat(pttl).isBetween(Duration.ofMinutes(9).toMillis(), Duration.ofMinutes(10).toMillis());

    EmbeddingCache forever = open(builder(store, 8).ownsStore(false));
    forever.embed("t");
    assertThat(redis.command("PTTL", prefix + forever.key("t"))).isEqualTo(-1L);
  }

  @Test
  @DisplayName(
      "bytes per cached vector of dimension 384 in Redis (STRLEN): FLOAT32 2,217, FLOAT16 1,193,"
          + " INT8 686")
  void bytesPerVector(RedisServer redis) {
    // the documented setting: the default key prefix and namespace, all-MiniLM-L6-v2, no TTL
    Map<VectorEncoding, Long> expected =
        Map.of(
            VectorEncoding.FLOAT32, 2217L,
            VectorEncoding.FLOAT16, 1193L,
            VectorEncoding.INT8, 686L);
    AsyncMetadataStore store = open(Client.LETTUCE, redis, MetadataStoreConfig.DEFAULT_KEY_PREFIX);
    for (VectorEncoding encoding : VectorEncoding.values()) {
      EmbeddingCache cache = open(builder(store, 384).encoding(encoding).ownsStore(false));
      cache.embed("how many bytes does one cached vector take?");
      String key =
          MetadataStoreConfig.DEFAULT_KEY_PREFIX
              + cache.key("how many bytes does one cached vector take?");
      long strlen = (Long) redis.command("STRLEN", key);
      long base64 = 4L * ((encoding.bytes(384) + 2) / 3);
      assertThat(strlen)
          .as("%s: %d bytes of which %d Base64", encoding, strlen, base64)
          .isEqualTo(expected.get(encoding));
      assertThat(strlen - base64).as("the envelope").isLessThan(200);
      redis.command("DEL", key);
    }
  }
}
