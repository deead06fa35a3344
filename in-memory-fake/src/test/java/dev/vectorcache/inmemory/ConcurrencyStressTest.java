package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Several writers and readers at once, for a bounded number of iterations. Asserts the final state
 * and that no thread failed; nothing here depends on timing.
 */
class ConcurrencyStressTest {
  private static final int WRITERS = 4;
  private static final int READERS = 4;
  private static final int POINTS_PER_WRITER = 500;

  @Test
  void concurrentWritersAndReadersOnOneCollection() throws Exception {
    InMemoryVectorStore store = new InMemoryVectorStore();
    store.createCollection("c", CollectionConfig.builder(4, Distance.COSINE).build());
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        futures.add(
            pool.submit(
                (Callable<Void>)
                    () -> {
                      start.await();
                      for (int i = 0; i < POINTS_PER_WRITER; i++) {
                        long id = writer * 1_000_000L + i;
                        PointStruct p =
                            PointStruct.of(
                                PointId.of(id),
                                new float[] {1f, writer, i % 7, 1f},
                                Map.of("writer", (long) writer, "i", (long) i));
                        store.upsert("c", List.of(p));
                        if (i % 10 == 9) {
                          // delete every tenth point again, and overwrite one payload
                          store.delete("c", List.of(PointId.of(id)));
                          store.setPayload(
                              "c", List.of(PointId.of(id - 1)), Map.of("touched", true));
                        }
                      }
                      return null;
                    }));
      }
      for (int r = 0; r < READERS; r++) {
        futures.add(
            pool.submit(
                (Callable<Void>)
                    () -> {
                      start.await();
                      for (int i = 0; i < 300; i++) {
                        List<ScoredPoint> hits =
                            store.search(
                                "c",
                                SearchRequest.builder(new float[] {1f, 1f, 1f, 1f}, 5)
                                    .filter(
                                        Filter.must(
                                            Condition.match("writer", (long) (i % WRITERS))))
                                    .withPayload(true)
                                    .build());
                        for (ScoredPoint h : hits) {
                          assertThat(h.payload().get("writer")).isEqualTo((long) (i % WRITERS));
                        }
                        store.count("c", null);
                        store.scroll("c", ScrollRequest.firstPage(20));
                        store.retrieve("c", List.of(PointId.of(i)), PayloadSelector.ALL, true);
                      }
                      return null;
                    }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(2, TimeUnit.MINUTES); // rethrows any failure of a worker
      }
    } finally {
      pool.shutdownNow();
    }
    long expected = WRITERS * (POINTS_PER_WRITER - POINTS_PER_WRITER / 10);
    assertThat(store.count("c", null)).isEqualTo(expected);
    assertThat(store.count("c", Filter.must(Condition.match("touched", true))))
        .isEqualTo(WRITERS * (POINTS_PER_WRITER / 10));
    assertThat(store.collectionInfo("c").pointsCount()).isEqualTo(expected);
  }

  @Test
  void concurrentMetadataWritersReadersAndPublishers() throws Exception {
    InMemoryMetadataStore store = new InMemoryMetadataStore();
    List<Long> delivered = java.util.Collections.synchronizedList(new ArrayList<>());
    store.subscribe("ch", e -> delivered.add(e.version()));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                (Callable<Void>)
                    () -> {
                      for (int i = 0; i < 1000; i++) {
                        String key = "k" + thread + ":" + i;
                        store.put(
                            new MetadataEntry(key, Map.of("i", (long) i), i, Instant.EPOCH),
                            Duration.ofMinutes(5));
                        assertThat(store.get(key)).isPresent();
                        if (i % 2 == 0) {
                          store.delete(key);
                        }
                        store.publish(
                            new dev.vectorcache.core.model.MetadataEvent(
                                dev.vectorcache.core.model.MetadataEvent.Type.STORED,
                                "ch",
                                key,
                                i,
                                Instant.EPOCH));
                      }
                      return null;
                    }));
      }
      for (Future<?> f : futures) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    List<String> all = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      for (int i = 0; i < 1000; i++) {
        all.add("k" + t + ":" + i);
      }
    }
    assertThat(store.getAll(all)).hasSize(6 * 500);
    assertThat(delivered).hasSize(6 * 1000);
  }
}
