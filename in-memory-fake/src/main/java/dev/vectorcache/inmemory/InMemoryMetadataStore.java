package dev.vectorcache.inmemory;

import dev.vectorcache.core.adapter.InlineAsyncMetadataStore;
import dev.vectorcache.core.exception.BackendUnavailableException;
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
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process {@link MetadataStore} with Redis's semantics: entries expire after their TTL (gone
 * once {@code clock.instant() >= putTime + ttl}; an entry put without a TTL stays until deleted),
 * {@link #getAll} is one call, and publish/subscribe delivers within this JVM. Time comes from the
 * injected {@link Clock}, so tests move time instead of sleeping.
 *
 * <p>Expired entries are purged lazily: when read, and in a sweep every few thousand writes.
 * Listeners run synchronously on the publisher's thread; one that throws is logged and does not
 * stop delivery to the others.
 *
 * <p>For tests, {@link #operationCount(String)} tells how often each operation was called (for
 * example that a hydration used one {@code getAll} rather than k {@code get}s).
 */
public final class InMemoryMetadataStore implements MetadataStore {
  private static final Logger LOG = LoggerFactory.getLogger(InMemoryMetadataStore.class);
  private static final int SWEEP_EVERY_WRITES = 4096;

  /** {@code expiresAt} is {@link #NEVER} for an entry put without a TTL. */
  private record Stored(MetadataEntry entry, Instant expiresAt) {}

  /** The expiry of an entry put without a TTL, as {@code PERSIST} keys in Redis. */
  private static final Instant NEVER = Instant.MAX;

  private final Clock clock;
  private final String name;
  private final boolean shared;
  private final ConcurrentHashMap<String, Stored> entries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CopyOnWriteArrayList<Consumer<MetadataEvent>>> listeners =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final AtomicLong writes = new AtomicLong();
  private final InlineAsyncMetadataStore async = new InlineAsyncMetadataStore(this);
  private final BatchMetadataWrites batches =
      (writes, events) -> {
        try {
          return CompletableFuture.completedFuture(writeAll(writes, events));
        } catch (RuntimeException e) {
          return CompletableFuture.failedFuture(e);
        }
      };
  private volatile boolean closed;

  /** A new, private store on the system UTC clock. */
  public InMemoryMetadataStore() {
    this(Clock.systemUTC());
  }

  /** A new, private store on {@code clock}, which decides when entries expire. */
  public InMemoryMetadataStore(Clock clock) {
    this(Objects.requireNonNull(clock, "clock"), "", false);
  }

  private InMemoryMetadataStore(Clock clock, String name, boolean shared) {
    this.clock = clock;
    this.name = name;
    this.shared = shared;
  }

  /** A store shared under {@code name}: its {@link #close()} does nothing. */
  static InMemoryMetadataStore shared(String name) {
    return new InMemoryMetadataStore(Clock.systemUTC(), name, true);
  }

  @Override
  public void put(MetadataEntry entry, @Nullable Duration ttl) {
    if (entry == null) {
      throw new InvalidInputException("entry", "a metadata entry", null);
    }
    if (ttl != null) {
      checkTtl(ttl);
    }
    count("put");
    checkOpen();
    Instant expiresAt = ttl == null ? NEVER : clock.instant().plus(ttl);
    entries.put(entry.key(), new Stored(entry, expiresAt));
    if (writes.incrementAndGet() % SWEEP_EVERY_WRITES == 0) {
      purgeExpired();
    }
  }

  @Override
  public Optional<MetadataEntry> get(String key) {
    checkKey(key, "key");
    count("get");
    checkOpen();
    Stored s = live(key, clock.instant());
    return s == null ? Optional.empty() : Optional.of(s.entry());
  }

  @Override
  public Map<String, MetadataEntry> getAll(Collection<String> keys) {
    if (keys == null) {
      throw new InvalidInputException("keys", "a collection of keys", null);
    }
    List<String> checked = new ArrayList<>(keys.size());
    int i = 0;
    for (String k : keys) {
      checkKey(k, "keys[" + i++ + "]");
      checked.add(k);
    }
    count("getAll");
    checkOpen();
    Instant now = clock.instant();
    Map<String, MetadataEntry> out = new LinkedHashMap<>();
    for (String k : checked) {
      Stored s = live(k, now);
      if (s != null) {
        out.put(k, s.entry());
      }
    }
    return out;
  }

  @Override
  public boolean delete(String key) {
    checkKey(key, "key");
    count("delete");
    checkOpen();
    Stored s = entries.remove(key);
    return s != null && s.expiresAt().isAfter(clock.instant());
  }

  @Override
  public long deleteAll(Collection<String> keys) {
    if (keys == null) {
      throw new InvalidInputException("keys", "a collection of keys", null);
    }
    List<String> checked = new ArrayList<>(keys.size());
    int i = 0;
    for (String k : keys) {
      checkKey(k, "keys[" + i++ + "]");
      checked.add(k);
    }
    count("deleteAll");
    checkOpen();
    Instant now = clock.instant();
    long n = 0;
    for (String k : checked) {
      Stored s = entries.remove(k);
      if (s != null && s.expiresAt().isAfter(now)) {
        n++;
      }
    }
    return n;
  }

  @Override
  public Optional<Duration> ttl(String key) {
    checkKey(key, "key");
    count("ttl");
    checkOpen();
    Instant now = clock.instant();
    Stored s = live(key, now);
    if (s == null) {
      return Optional.empty();
    }
    // a key without expiry reports "forever", as the Redis adapters do for PTTL -1
    return Optional.of(
        s.expiresAt().equals(NEVER)
            ? ChronoUnit.FOREVER.getDuration()
            : Duration.between(now, s.expiresAt()));
  }

  @Override
  public boolean expire(String key, Duration ttl) {
    checkKey(key, "key");
    checkTtl(ttl);
    count("expire");
    checkOpen();
    Instant now = clock.instant();
    boolean[] found = {false};
    entries.computeIfPresent(
        key,
        (k, s) -> {
          if (!s.expiresAt().isAfter(now)) {
            return null; // already expired: purge, report missing
          }
          found[0] = true;
          return new Stored(s.entry(), now.plus(ttl));
        });
    return found[0];
  }

  @Override
  public void publish(MetadataEvent event) {
    if (event == null) {
      throw new InvalidInputException("event", "a metadata event", null);
    }
    count("publish");
    checkOpen();
    List<Consumer<MetadataEvent>> ls = listeners.get(event.collection());
    if (ls == null) {
      return;
    }
    for (Consumer<MetadataEvent> l : ls) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("a metadata event listener on channel '{}' failed", event.collection(), e);
      }
    }
  }

  @Override
  public Subscription subscribe(String collection, Consumer<MetadataEvent> listener) {
    checkKey(collection, "collection");
    Objects.requireNonNull(listener, "listener");
    count("subscribe");
    checkOpen();
    // Wrap so that the same listener subscribed twice is two subscriptions, removed one by one.
    @SuppressWarnings(
        "UnnecessaryMethodReference") // a new object on purpose: identity per subscription
    Consumer<MetadataEvent> handle = listener::accept;
    listeners.computeIfAbsent(collection, c -> new CopyOnWriteArrayList<>()).add(handle);
    AtomicBoolean open = new AtomicBoolean(true);
    return new Subscription() {
      @Override
      public String channel() {
        return collection;
      }

      @Override
      public void close() {
        if (open.compareAndSet(true, false)) {
          List<Consumer<MetadataEvent>> ls = listeners.get(collection);
          if (ls != null) {
            ls.remove(handle);
          }
        }
      }

      @Override
      public String toString() {
        return "Subscription[" + collection + (open.get() ? "" : ", closed") + "]";
      }
    };
  }

  @Override
  public BackendInfo ping() {
    long start = System.nanoTime();
    count("ping");
    checkOpen();
    Map<String, String> details = new LinkedHashMap<>();
    details.put("keys", Integer.toString(entries.size()));
    if (shared) {
      details.put("name", name);
    }
    return new BackendInfo(
        "memory", "in-memory", "embedded", Duration.ofNanos(System.nanoTime() - start), details);
  }

  @Override
  public boolean isSupported(Capability capability) {
    return capability == Capability.BATCH_METADATA_WRITES;
  }

  @Override
  public <T> Optional<T> extension(Class<T> type) {
    if (type == BatchMetadataWrites.class) {
      return Optional.of(type.cast(batches));
    }
    return MetadataStore.super.extension(type);
  }

  /**
   * Applies a batch at once, as a pipeline would: the copies (a compare-and-set on the version for
   * {@code ifNewer}), then the events.
   */
  private int writeAll(List<BatchMetadataWrites.CopyWrite> writes, List<MetadataEvent> events) {
    for (BatchMetadataWrites.CopyWrite w : writes) {
      if (w == null) {
        throw new InvalidInputException("writes[i]", "a copy write", null);
      }
      if (w.ttl() != null) {
        checkTtl(w.ttl());
      }
    }
    count("writeAll");
    checkOpen();
    int written = 0;
    for (BatchMetadataWrites.CopyWrite w : writes) {
      MetadataEntry e = w.entry();
      Instant expiresAt = w.ttl() == null ? NEVER : clock.instant().plus(w.ttl());
      Stored fresh = new Stored(e, expiresAt);
      boolean[] applied = {true};
      entries.compute(
          e.key(),
          (k, old) -> {
            if (w.ifNewer()
                && old != null
                && old.expiresAt().isAfter(clock.instant())
                && old.entry().version() >= e.version()) {
              applied[0] = false;
              return old;
            }
            return fresh;
          });
      if (applied[0]) {
        written++;
      }
    }
    for (MetadataEvent event : events) {
      publish(event);
    }
    return written;
  }

  @Override
  public AsyncMetadataStore async() {
    return async;
  }

  /** How many times {@code operation} (a method name such as {@code "getAll"}) was called. */
  public long operationCount(String operation) {
    LongAdder a = calls.get(operation);
    return a == null ? 0 : a.sum();
  }

  /** Removes every expired entry now (they are otherwise purged lazily). */
  public void purgeExpired() {
    Instant now = clock.instant();
    entries.entrySet().removeIf(e -> !e.getValue().expiresAt().isAfter(now));
  }

  /**
   * Drops the entries and listeners of a private store; later calls fail. A store shared by name
   * ({@code memory:NAME}) lives as long as the JVM, so closing one handle does nothing.
   */
  @Override
  public void close() {
    if (!shared) {
      closed = true;
      entries.clear();
      listeners.clear();
    }
  }

  @Override
  public String toString() {
    return "InMemoryMetadataStore["
        + (shared ? "name=" + name + ", " : "")
        + "clock="
        + clock
        + "]";
  }

  private @Nullable Stored live(String key, Instant now) {
    Stored s = entries.get(key);
    if (s == null) {
      return null;
    }
    if (!s.expiresAt().isAfter(now)) {
      entries.remove(key, s); // lazy purge; only if nobody replaced it meanwhile
      return null;
    }
    return s;
  }

  private void count(String op) {
    calls.computeIfAbsent(op, o -> new LongAdder()).increment();
  }

  private void checkOpen() {
    if (closed) {
      throw new BackendUnavailableException(
          "memory", "this in-memory metadata store is closed", null);
    }
  }

  private static void checkKey(String key, String field) {
    if (key == null || key.isBlank()) {
      throw new InvalidInputException(field, "a non-blank string", key);
    }
  }

  private static void checkTtl(Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new InvalidInputException(
          "ttl", "a positive duration", ttl, "pass a time-to-live greater than zero");
    }
  }
}
