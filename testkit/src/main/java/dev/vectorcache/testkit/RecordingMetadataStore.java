package dev.vectorcache.testkit;

import dev.vectorcache.core.adapter.BlockingMetadataStore;
import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.BatchMetadataWrites;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.Subscription;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AsyncMetadataStore} that forwards to another store's native async form, counting calls
 * per operation ({@code "put"}, {@code "getAll"}, ...) and injecting failures. Used to prove that
 * hydrating k hits costs one call and that bad input never reaches the store.
 *
 * <p>It offers no port extension, so a cache over it sends every copy and event as a command of its
 * own; {@link #withBatchWrites()} gives the form that also offers the delegate's {@link
 * BatchMetadataWrites}, as a cache over the real store uses it.
 */
public final class RecordingMetadataStore implements AsyncMetadataStore {
  private final AsyncMetadataStore delegate;
  private final CallRecorder recorder;
  private final boolean batchWrites;

  public RecordingMetadataStore(MetadataStore delegate) {
    this(delegate.async());
  }

  public RecordingMetadataStore(AsyncMetadataStore delegate) {
    this(delegate, new CallRecorder(), false);
  }

  private RecordingMetadataStore(
      AsyncMetadataStore delegate, CallRecorder recorder, boolean batchWrites) {
    this.delegate = delegate;
    this.recorder = recorder;
    this.batchWrites = batchWrites;
  }

  /**
   * This store, with the same delegate and the same {@link #recorder()}, that also offers the
   * delegate's {@link BatchMetadataWrites} (when the delegate has it), recorded as {@code
   * "writeAll"} (one call per batch) and failing as that operation's injected failure says.
   *
   * @return the recording store with the extension
   */
  public RecordingMetadataStore withBatchWrites() {
    return new RecordingMetadataStore(delegate, recorder, true);
  }

  public CallRecorder recorder() {
    return recorder;
  }

  @Override
  public CompletableFuture<Void> put(MetadataEntry entry, @Nullable Duration ttl) {
    return recorder.record("put", () -> delegate.put(entry, ttl));
  }

  @Override
  public CompletableFuture<Optional<MetadataEntry>> get(String key) {
    return recorder.record("get", () -> delegate.get(key));
  }

  @Override
  public CompletableFuture<Map<String, MetadataEntry>> getAll(Collection<String> keys) {
    return recorder.record("getAll", () -> delegate.getAll(keys));
  }

  @Override
  public CompletableFuture<Boolean> delete(String key) {
    return recorder.record("delete", () -> delegate.delete(key));
  }

  @Override
  public CompletableFuture<Long> deleteAll(Collection<String> keys) {
    return recorder.record("deleteAll", () -> delegate.deleteAll(keys));
  }

  @Override
  public CompletableFuture<Optional<Duration>> ttl(String key) {
    return recorder.record("ttl", () -> delegate.ttl(key));
  }

  @Override
  public CompletableFuture<Boolean> expire(String key, Duration ttl) {
    return recorder.record("expire", () -> delegate.expire(key, ttl));
  }

  @Override
  public CompletableFuture<Void> publish(MetadataEvent event) {
    return recorder.record("publish", () -> delegate.publish(event));
  }

  @Override
  public CompletableFuture<Subscription> subscribe(
      String collection, Consumer<MetadataEvent> listener) {
    return recorder.record("subscribe", () -> delegate.subscribe(collection, listener));
  }

  @Override
  public CompletableFuture<BackendInfo> ping() {
    return recorder.record("ping", delegate::ping);
  }

  @Override
  public boolean isSupported(Capability capability) {
    if (capability == Capability.BATCH_METADATA_WRITES && !batchWrites) {
      return false; // not offered by extension() either
    }
    return delegate.isSupported(capability);
  }

  @Override
  public <T> Optional<T> extension(Class<T> type) {
    if (!batchWrites || type != BatchMetadataWrites.class) {
      return AsyncMetadataStore.super.extension(type);
    }
    return delegate
        .extension(BatchMetadataWrites.class)
        .map(
            b -> {
              BatchMetadataWrites recorded =
                  (writes, events) -> recorder.record("writeAll", () -> b.writeAll(writes, events));
              return type.cast(recorded);
            });
  }

  @Override
  public MetadataStore blocking() {
    return new BlockingMetadataStore(this);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
