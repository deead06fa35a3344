package dev.vectorcache.core.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Port extensions")
class ExtensionTest {
  /** An extension interface, as a later feature (batch search, say) would define one. */
  interface BatchSearch {
    int maxBatch();
  }

  private static final BatchSearch BATCH = () -> 16;

  /** A store of {@code type} that offers {@link BatchSearch} and nothing else. */
  private static <T> T storeWithBatchSearch(Class<T> type) {
    InvocationHandler h =
        (proxy, method, args) -> {
          if (method.getName().equals("extension")) {
            return args[0] == BatchSearch.class ? Optional.of(BATCH) : Optional.empty();
          }
          throw new UnsupportedOperationException(method.getName());
        };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
  }

  /** A store of {@code type} that keeps every default method. */
  private static <T> T plainStore(Class<T> type) {
    InvocationHandler h =
        (proxy, method, args) -> {
          if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
          }
          throw new UnsupportedOperationException(method.getName());
        };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
  }

  @Test
  @DisplayName("a store offers no extension unless it implements one")
  void defaultIsEmpty() {
    assertThat(plainStore(VectorStore.class).extension(BatchSearch.class)).isEmpty();
    assertThat(plainStore(AsyncVectorStore.class).extension(BatchSearch.class)).isEmpty();
    assertThat(plainStore(MetadataStore.class).extension(BatchSearch.class)).isEmpty();
    assertThat(plainStore(AsyncMetadataStore.class).extension(BatchSearch.class)).isEmpty();
  }

  @Test
  @DisplayName("the bridges between the blocking and async forms forward extensions")
  void bridgesForward() {
    assertThat(
            new BlockingVectorStore(storeWithBatchSearch(AsyncVectorStore.class))
                .extension(BatchSearch.class))
        .containsSame(BATCH);
    assertThat(
            new InlineAsyncVectorStore(storeWithBatchSearch(VectorStore.class))
                .extension(BatchSearch.class))
        .containsSame(BATCH);
    assertThat(
            new BlockingMetadataStore(storeWithBatchSearch(AsyncMetadataStore.class))
                .extension(BatchSearch.class))
        .containsSame(BATCH);
    assertThat(
            new InlineAsyncMetadataStore(storeWithBatchSearch(MetadataStore.class))
                .extension(BatchSearch.class))
        .containsSame(BATCH);
    assertThat(
            new BlockingVectorStore(storeWithBatchSearch(AsyncVectorStore.class))
                .extension(Runnable.class))
        .isEmpty();
  }
}
