package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.port.MultiVectors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A single-vector collection made a multi-vector one while port writes to it are in flight: every
 * write the port acknowledged is in the converted collection. Bounded by iterations, not time.
 */
class ConversionRaceTest {
  private static final int ROUNDS = 60;
  private static final int WRITERS = 2;
  private static final int PRELOADED = 2_000;

  @Test
  void everyAcknowledgedWriteSurvivesTheConversion() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    try (InMemoryVectorStore store = new InMemoryVectorStore()) {
      MultiVectors mv = store.extension(MultiVectors.class).orElseThrow();
      for (int round = 0; round < ROUNDS; round++) {
        String c = "c" + round;
        store.createCollection(c, CollectionConfig.builder(2, Distance.DOT).build());
        List<PointStruct> preload = new ArrayList<>();
        for (int i = 0; i < PRELOADED; i++) {
          preload.add(PointStruct.of(PointId.of(i), new float[] {1, i}, Map.of("i", (long) i)));
        }
        store.upsert(c, preload); // the conversion reads these, widening its window
        Set<PointId> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean converted = new AtomicBoolean();
        CountDownLatch writing = new CountDownLatch(WRITERS);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          long base = 1_000_000L * (w + 1);
          writers.add(
              pool.submit(
                  (Callable<Void>)
                      () -> {
                        writing.countDown();
                        // write on until a while after the conversion, which must keep them all
                        int afterwards = 0;
                        for (long i = 0; afterwards < 50; i++) {
                          PointId id = PointId.of(base + i);
                          store.upsert(
                              c, List.of(PointStruct.of(id, new float[] {0, 1}, Map.of())));
                          acknowledged.add(id);
                          if (converted.get()) {
                            afterwards++;
                          }
                        }
                        return null;
                      }));
        }
        writing.await();
        try {
          Futures.join(mv.createVectorName(c, "image", DenseVectorConfig.of(2, Distance.DOT)));
        } finally {
          converted.set(true); // the writers stop even when the conversion fails
        }
        for (Future<?> f : writers) {
          f.get(1, TimeUnit.MINUTES); // rethrows any failure of a writer
        }
        Set<PointId> missing = new HashSet<>(acknowledged);
        for (RetrievedPoint p : store.retrieve(c, acknowledged, PayloadSelector.NONE, false)) {
          missing.remove(p.id());
        }
        assertThat(missing).as("acknowledged upserts missing in round %d", round).isEmpty();
        assertThat(store.count(c, null)).isEqualTo(PRELOADED + acknowledged.size());
        store.deleteCollection(c);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
