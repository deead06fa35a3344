package dev.vectorcache.core.testing;

import dev.vectorcache.core.adapter.InlineAsyncMetadataStore;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.BatchMetadataWrites;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory {@link MetadataStore} for the core's unit tests. Keys expire on the injected {@link
 * Clock} (a {@code null} TTL means no expiry); events are delivered at once, on the publisher's
 * thread, to the subscribers of their collection. Every call is recorded in {@link #log()}, where a
 * test can also plan a failure.
 */
public final class FakeMetadataStore implements MetadataStore {
  private record Stored(MetadataEntry entry, @Nullable Instant deadline) {}

  private record Listener(String collection, Consumer<MetadataEvent> consumer) {}

  private final Clock clock;
  private final Map<String, Stored> entries = new LinkedHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final List<MetadataEvent> published = new CopyOnWriteArrayList<>();
  private final List<BatchMetadataWrites.CopyWrite> copyWrites = new CopyOnWriteArrayList<>();
  private final CallLog log = new CallLog();
  private final AsyncMetadataStore async = new InlineAsyncMetadataStore(this);
  private volatile boolean closed;
  private volatile boolean batchWrites;

  public FakeMetadataStore(Clock clock) {
    this.clock = clock;
  }

  /** The calls received, and the failures planned for the next ones. */
  public CallLog log() {
    return log;
  }

  /** Every event published so far, delivered or not. */
  public List<MetadataEvent> published() {
    return List.copyOf(published);
  }

  /** Every copy write received through {@link BatchMetadataWrites}, applied or not, in order. */
  public List<BatchMetadataWrites.CopyWrite> copyWrites() {
    return List.copyOf(copyWrites);
  }

  /** The live keys, without recording a call. */
  public synchronized List<String> keys() {
    List<String> live = new ArrayList<>();
    entries.forEach(
        (k, s) -> {
          if (isLive(s)) {
            live.add(k);
          }
        });
    return live;
  }

  /** The live entry under {@code key}, without recording a call. */
  public synchronized Optional<MetadataEntry> peek(String key) {
    Stored s = entries.get(key);
    return s != null && isLive(s) ? Optional.of(s.entry()) : Optional.empty();
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void put(MetadataEntry entry, @Nullable Duration ttl) {
    log.enter("put");
    if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
      throw new InvalidInputException("ttl", "a positive duration", ttl);
    }
    entries.put(entry.key(), new Stored(entry, ttl == null ? null : clock.instant().plus(ttl)));
  }

  @Override
  public synchronized Optional<MetadataEntry> get(String key) {
    log.enter("get");
    return peek(key);
  }

  @Override
  public synchronized Map<String, MetadataEntry> getAll(Collection<String> keys) {
    log.enter("getAll");
    Map<String, MetadataEntry> out = new LinkedHashMap<>();
    for (String k : keys) {
      peek(k).ifPresent(e -> out.put(k, e));
    }
    return out;
  }

  @Override
  public synchronized boolean delete(String key) {
    log.enter("delete");
    return remove(key);
  }

  @Override
  public synchronized long deleteAll(Collection<String> keys) {
    log.enter("deleteAll");
    return keys.stream().filter(this::remove).count();
  }

  @Override
  public synchronized Optional<Duration> ttl(String key) {
    log.enter("ttl");
    Stored s = entries.get(key);
    if (s == null || !isLive(s)) {
      return Optional.empty();
    }
    return Optional.of(
        s.deadline() == null
            ? ChronoUnit.FOREVER.getDuration()
            : Duration.between(clock.instant(), s.deadline()));
  }

  @Override
  public synchronized boolean expire(String key, Duration ttl) {
    log.enter("expire");
    Stored s = entries.get(key);
    if (s == null || !isLive(s)) {
      return false;
    }
    entries.put(key, new Stored(s.entry(), clock.instant().plus(ttl)));
    return true;
  }

  @Override
  public void publish(MetadataEvent event) {
    log.enter("publish");
    published.add(event);
    for (Listener l : listeners) {
      if (l.collection().equals(event.collection())) {
        l.consumer().accept(event);
      }
    }
  }

  @Override
  public Subscription subscribe(String collection, Consumer<MetadataEvent> listener) {
    log.enter("subscribe");
    Listener l = new Listener(collection, listener);
    listeners.add(l);
    return new Subscription() {
      @Override
      public String channel() {
        return collection;
      }

      @Override
      public void close() {
        listeners.remove(l);
      }
    };
  }

  @Override
  public BackendInfo ping() {
    log.enter("ping");
    return new BackendInfo("memory", "fake", "test", Duration.ZERO, Map.of());
  }

  /**
   * Offers {@link BatchMetadataWrites} from now on (recorded as {@code "writeAll"}, one call per
   * batch, with the compare-and-set of each write's {@link
   * BatchMetadataWrites.CopyWrite.Condition}).
   */
  public FakeMetadataStore withBatchWrites() {
    batchWrites = true;
    return this;
  }

  @Override
  public boolean isSupported(Capability capability) {
    return batchWrites && capability == Capability.BATCH_METADATA_WRITES;
  }

  @Override
  public <T> Optional<T> extension(Class<T> type) {
    if (batchWrites && type == BatchMetadataWrites.class) {
      BatchMetadataWrites b = this::writeAll;
      return Optional.of(type.cast(b));
    }
    return Optional.empty();
  }

  private CompletableFuture<Integer> writeAll(
      List<BatchMetadataWrites.CopyWrite> writes, List<MetadataEvent> events) {
    int written = 0;
    try {
      synchronized (this) {
        log.enter("writeAll");
        for (BatchMetadataWrites.CopyWrite w : writes) {
          copyWrites.add(w);
          if (!applies(w, entries.get(w.entry().key()))) {
            continue;
          }
          Duration ttl = w.ttl();
          entries.put(
              w.entry().key(),
              new Stored(w.entry(), ttl == null ? null : clock.instant().plus(ttl)));
          written++;
        }
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    for (MetadataEvent e : events) {
      published.add(e);
      for (Listener l : listeners) {
        if (l.collection().equals(e.collection())) {
          l.consumer().accept(e);
        }
      }
    }
    return CompletableFuture.completedFuture(written);
  }

  @Override
  public AsyncMetadataStore async() {
    return async;
  }

  @Override
  public void close() {
    closed = true;
  }

  private boolean applies(BatchMetadataWrites.CopyWrite w, @Nullable Stored old) {
    @Nullable MetadataEntry current = old != null && isLive(old) ? old.entry() : null;
    return switch (w.condition()) {
      case ALWAYS -> true;
      case IF_NEWER -> current == null || current.version() < w.entry().version();
      case IF_SAME_VERSION -> current != null && current.version() == w.entry().version();
    };
  }

  private boolean isLive(Stored s) {
    return s.deadline() == null || clock.instant().isBefore(s.deadline());
  }

  private boolean remove(String key) {
    Stored s = entries.remove(key);
    return s != null && isLive(s);
  }
}
