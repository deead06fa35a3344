package dev.vectorcache.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vectorcache.core.Ttl;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.redis.jedis.JedisMetadataStore;
import dev.vectorcache.redis.lettuce.LettuceMetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.MutableClock;
import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link EntryRanking} against a real redis-server, through the {@code ScoredSets} extension of
 * both Redis adapters: the bounds hold in Redis's sorted sets, eviction removes the vector point
 * and the Redis copy, and a restart empties the sets until {@link EntryRanking#rebuild()}.
 */
@ExtendWith(RedisServerExtension.class)
class EntryRankingIT {
  private static final String COLLECTION = "answers";
  private static final String S1 = EntryRankingTest.hash("tenant-1");
  private static final String S2 = EntryRankingTest.hash("tenant-2");
  private static final AtomicInteger RUNS = new AtomicInteger();

  enum Client {
    LETTUCE,
    JEDIS
  }

  private final RedisServer server;
  private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  private final InMemoryVectorStore vectors = new InMemoryVectorStore();
  private final List<AutoCloseable> open = new ArrayList<>();
  private String prefix = "";
  private @Nullable VectorCache cache;

  EntryRankingIT(RedisServer server) {
    this.server = server;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    vectors.close();
  }

  private VectorCache cache(Client client) {
    prefix = "rank-it-" + RUNS.incrementAndGet() + ":";
    MetadataStoreConfig config =
        MetadataStoreConfig.builder()
            .url(server.url())
            .keyPrefix(prefix)
            .commandTimeout(Duration.ofSeconds(2))
            .build();
    MetadataStore store =
        client == Client.LETTUCE
            ? LettuceMetadataStore.open(config)
            : JedisMetadataStore.open(config);
    VectorCache c =
        VectorCache.builder()
            .collection(COLLECTION)
            .collectionConfig(CollectionConfig.builder(3, Distance.COSINE).build())
            .vectorStore(vectors)
            .metadataStore(store)
            .clock(clock)
            .build();
    open.add(c);
    c.initialize();
    cache = c;
    return c;
  }

  private EntryRanking ranking(VectorCache c, Eviction eviction, long max, long perScope) {
    EntryRanking r = EntryRanking.create(c, COLLECTION, eviction, max, perScope, List.of());
    open.add(r);
    return r;
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void lruBoundsHoldInRedisAndEvictionRemovesBothCopies(Client client) {
    VectorCache c = cache(client);
    EntryRanking r = ranking(c, Eviction.LRU, 5, 3);
    String a1 = put(r, S1, "a1");
    String a2 = put(r, S1, "a2");
    String a3 = put(r, S1, "a3");
    String b1 = put(r, S2, "b1");
    String b2 = put(r, S2, "b2");
    flush(r);
    clock.advance(Duration.ofSeconds(1));
    r.onHit(S1, a1); // a1 is now the most recent of its scope
    flush(r);
    String a4 = put(r, S1, "a4"); // scope S1 over 3: a2 goes
    String b3 = put(r, S2, "b3"); // 6 in all: the least recent of the others, a3, goes
    flush(r);

    assertThat(zcard(COLLECTION + ":sc:rank")).isEqualTo(5);
    assertThat(zcard(COLLECTION + ":sc:rank:" + S1)).isEqualTo(2);
    assertThat(zcard(COLLECTION + ":sc:rank:" + S2)).isEqualTo(3);
    for (String gone : List.of(a2, a3)) {
      assertThat(c.get(gone)).as("evicted %s", gone).isEmpty();
      assertThat(c.metadataStore().get(COLLECTION + ":" + gone).join()).isEmpty();
      assertThat(server.command("ZSCORE", prefix + COLLECTION + ":sc:rank", S1 + "|" + gone))
          .isNull();
    }
    for (String kept : List.of(a1, a4, b1, b2, b3)) {
      assertThat(c.get(kept)).as("kept %s", kept).isPresent();
      assertThat(c.metadataStore().get(COLLECTION + ":" + kept).join()).isPresent();
    }
    assertThat(vectors.count(COLLECTION, null)).isEqualTo(5);
    assertThat(r.evicted()).isEqualTo(2);
    assertThat(r.failures()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void lfuCountsUsesInRedis(Client client) {
    VectorCache c = cache(client);
    EntryRanking r = ranking(c, Eviction.LFU, 0, 2);
    String a = put(r, S1, "a");
    String b = put(r, S1, "b");
    flush(r);
    for (int i = 0; i < 3; i++) {
      r.onHit(S1, a);
      flush(r); // one ZINCRBY each
    }
    assertThat(zscore(COLLECTION + ":sc:rank:" + S1, a)).isEqualTo(4.0);
    assertThat(zscore(COLLECTION + ":sc:rank:" + S1, b)).isEqualTo(1.0);
    String d = put(r, S1, "d");
    r.onHit(S1, d);
    flush(r);
    assertThat(c.get(b)).isEmpty();
    assertThat(c.get(a)).isPresent();
    assertThat(c.get(d)).isPresent();
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void manyPutsEndWithinTheBound(Client client) {
    VectorCache c = cache(client);
    EntryRanking r = ranking(c, Eviction.LRU, 50, 0);
    for (int i = 0; i < 600; i++) {
      put(r, i % 3 == 0 ? S1 : S2, "entry-" + i);
    }
    flush(r);
    assertThat(zcard(COLLECTION + ":sc:rank")).isEqualTo(50);
    assertThat(vectors.count(COLLECTION, null)).isEqualTo(50);
    assertThat(r.evicted()).isEqualTo(550);
  }

  @Test
  void aRestartEmptiesTheSetsAndRebuildFillsThemAgain() {
    assumeTrue(server.canKill(), "needs a private redis-server process to restart");
    VectorCache c = cache(Client.LETTUCE);
    EntryRanking r = ranking(c, Eviction.LRU, 100, 0);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      keys.add(put(r, i % 2 == 0 ? S1 : S2, "entry-" + i));
    }
    flush(r);
    assertThat(zcard(COLLECTION + ":sc:rank")).isEqualTo(100);
    long newestCreated = clock.millis();

    server.restart();
    assertThat(zcard(COLLECTION + ":sc:rank")).isZero();
    // the client reconnects on its own (it refuses commands until then)
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> c.metadataStore().ping().join() != null);
    assertThat(r.rebuild()).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(100L);

    assertThat(zcard(COLLECTION + ":sc:rank")).isEqualTo(100);
    assertThat(zcard(COLLECTION + ":sc:rank:" + S1) + zcard(COLLECTION + ":sc:rank:" + S2))
        .isEqualTo(100);
    assertThat(zscore(COLLECTION + ":sc:rank", S2 + "|" + keys.get(149)))
        .isEqualTo((double) newestCreated);
    // the bound holds again from the next put on
    put(r, S1, "after-restart");
    flush(r);
    assertThat(zcard(COLLECTION + ":sc:rank")).isEqualTo(100);
    assertThat(vectors.count(COLLECTION, null)).isEqualTo(100);
  }

  @Test
  void forgetScopeAndClearDeleteTheirKeys() {
    VectorCache c = cache(Client.LETTUCE);
    EntryRanking r = ranking(c, Eviction.LRU, 100, 10);
    put(r, S1, "a");
    String b = put(r, S2, "b");
    flush(r);
    assertThat(exists(COLLECTION + ":sc:rank:" + S1)).isTrue();

    assertThat(r.forgetScope(S1)).succeedsWithin(Duration.ofSeconds(10));
    assertThat(exists(COLLECTION + ":sc:rank:" + S1)).isFalse();
    assertThat(zcard(COLLECTION + ":sc:rank")).isEqualTo(1);
    assertThat(zscore(COLLECTION + ":sc:rank", S2 + "|" + b)).isNotNull();

    assertThat(r.clear()).succeedsWithin(Duration.ofSeconds(10));
    for (String key :
        List.of(
            COLLECTION + ":sc:rank", COLLECTION + ":sc:rank:" + S2, COLLECTION + ":sc:scopes")) {
      assertThat(exists(key)).as(key).isFalse();
    }
  }

  private String put(EntryRanking r, String scope, String name) {
    VectorCache c = requireCache();
    clock.advance(Duration.ofMillis(1));
    String key = EntryRankingTest.hash(scope + "/" + name);
    c.store(
        key,
        new float[] {1, (float) (key.hashCode() % 7), 2},
        Map.of(EntryRanking.SCOPE_HASH_FIELD, scope, EntryRanking.CREATED_FIELD, clock.millis()),
        Ttl.of(Duration.ofHours(1)));
    r.onPut(scope, key);
    return key;
  }

  private VectorCache requireCache() {
    VectorCache c = cache;
    if (c == null) {
      throw new IllegalStateException("no cache opened");
    }
    return c;
  }

  private static void flush(EntryRanking r) {
    assertThat(r.flush()).succeedsWithin(Duration.ofSeconds(30));
  }

  private long zcard(String key) {
    return (Long) Objects.requireNonNull(server.command("ZCARD", prefix + key));
  }

  private @Nullable Double zscore(String key, String member) {
    Object reply = server.command("ZSCORE", prefix + key, member);
    return reply == null ? null : Double.valueOf(reply.toString());
  }

  private boolean exists(String key) {
    return (Long) Objects.requireNonNull(server.command("EXISTS", prefix + key)) == 1L;
  }
}
