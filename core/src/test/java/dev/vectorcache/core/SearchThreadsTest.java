package dev.vectorcache.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.adapter.InlineAsyncMetadataStore;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.MetadataStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The blocking {@code searchSimilar} reads the metadata copies on the caller's thread, through the
 * blocking metadata store it was given; the async form goes through the store's async form (here,
 * like Jedis's, an executor of its own).
 */
class SearchThreadsTest {
  private static final String POOL = "metadata-store-executor";

  /** Calls {@code method} on {@code target}, rethrowing what it throws. */
  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  void theBlockingSearchReadsCopiesOnTheCallersThreadTheAsyncOneOnTheStoresExecutor()
      throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, POOL));
    try (CacheFixture f = new CacheFixture()) {
      List<String> getAllThreads = new CopyOnWriteArrayList<>();
      MetadataStore[] self = new MetadataStore[1];
      AsyncMetadataStore onPool =
          (AsyncMetadataStore)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {AsyncMetadataStore.class},
                  (proxy, method, args) -> {
                    AsyncMetadataStore inline = new InlineAsyncMetadataStore(self[0]);
                    if (method.getReturnType() != CompletableFuture.class) {
                      return call(inline, method, args);
                    }
                    return CompletableFuture.supplyAsync(
                        () -> {
                          try {
                            return ((CompletableFuture<?>) call(inline, method, args)).join();
                          } catch (Throwable t) {
                            throw new IllegalStateException(t);
                          }
                        },
                        pool);
                  });
      self[0] =
          (MetadataStore)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {MetadataStore.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("async")) {
                      return onPool;
                    }
                    if (method.getName().equals("getAll")) {
                      getAllThreads.add(Thread.currentThread().getName());
                    }
                    return call(f.metadata, method, args);
                  });
      VectorCache cache = f.open(f.builder().metadataStore(self[0]));
      cache.store("a", new float[] {1, 0, 0}, Map.of("n", 1));
      cache.store("b", new float[] {0, 1, 0}, Map.of("n", 2));
      getAllThreads.clear();

      List<CacheHit> blocking = cache.searchSimilar(new float[] {1, 0.1f, 0}, 2);
      assertThat(getAllThreads).containsExactly(Thread.currentThread().getName());
      assertThat(blocking)
          .extracting(h -> h.entry().key(), CacheHit::source)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("a", CacheHit.Source.METADATA_STORE),
              org.assertj.core.groups.Tuple.tuple("b", CacheHit.Source.METADATA_STORE));

      getAllThreads.clear();
      List<CacheHit> async =
          cache.searchSimilarAsync(new float[] {1, 0.1f, 0}, 2, null, null).join();
      assertThat(getAllThreads).containsExactly(POOL);
      assertThat(async).isEqualTo(blocking);
    } finally {
      pool.shutdownNow();
    }
  }
}
