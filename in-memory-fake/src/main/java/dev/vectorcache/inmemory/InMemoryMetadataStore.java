package dev.vectorcache.inmemory;

import dev.vectorcache.core.adapter.InlineAsyncMetadataStore;
import dev.vectorcache.core.exception.BackendRejectedException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.BatchMetadataWrites;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.ScoredSets;
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
import java.util.function.Function;
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
 * <p>Two extensions: {@link BatchMetadataWrites} (applied at once, with the compare-and-set of the
 * conditional writes) and {@link ScoredSets} (sorted sets with Redis's ordering). Copies and sets
 * share one key space, as in Redis: a key holds either a copy or a set; a set command on a copy's
 * key, or a {@link #get} or conditional write of a set's key, is rejected as Redis rejects it
 * ({@code WRONGTYPE}, a {@link BackendRejectedException}); {@link #getAll} skips a set's key (as
 * {@code MGET} answers nil); {@link #put}, {@link #delete}, {@link #ttl} and {@link #expire} act on
 * either. A set has no expiry unless {@link #expire} gives it one, and disappears with its last
 * member.
 *
 * <p>For tests, {@link #operationCount(String)} tells how often each operation was called (for
 * example that a hydration used one {@code getAll} rather than k {@code get}s).
 */
public final class InMemoryMetadataStore implements MetadataStore {
  private static final Logger LOG = LoggerFactory.getLogger(InMemoryMetadataStore.class);
  private static final int SWEEP_EVERY_WRITES = 4096;

  /**
   * What a key holds: a copy (a {@link MetadataEntry}) or a sorted set ({@link ScoredMembers});
   * {@code expiresAt} is {@link #NEVER} for a key without a TTL.
   */
  private record Stored(Object value, Instant expiresAt) {}

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
  private final InMemoryScoredSets scoredSets = new InMemoryScoredSets(this);
  private final BatchMetadataWrites batches =
      (writes, events) -> {
        checkBatch(writes, events); // bad input is thrown at once, as the async ports promise
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
    if (s == null) {
      return Optional.empty();
    }
    if (!(s.value() instanceof MetadataEntry e)) {
      throw wrongType("get");
    }
    return Optional.of(e);
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
      if (s != null && s.value() instanceof MetadataEntry e) {
        out.put(k, e); // as MGET, which answers nil for a key of another type
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
          return new Stored(s.value(), now.plus(ttl));
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
    return capability == Capability.BATCH_METADATA_WRITES || capability == Capability.SCORED_SETS;
  }

  @Override
  public <T> Optional<T> extension(Class<T> type) {
    if (type == BatchMetadataWrites.class) {
      return Optional.of(type.cast(batches));
    }
    if (type == ScoredSets.class) {
      return Optional.of(type.cast(scoredSets));
    }
    return MetadataStore.super.extension(type);
  }

  /**
   * Applies a batch at once, as a pipeline would: the copies (a compare-and-set on the version for
   * the conditional writes), then the events. A conditional write over a set's key is rejected, as
   * the Redis script's {@code GET} is; the rest of the batch is still applied, as in a pipeline,
   * and the call then fails.
   */
  private int writeAll(List<BatchMetadataWrites.CopyWrite> writes, List<MetadataEvent> events) {
    count("writeAll");
    checkOpen();
    int written = 0;
    RuntimeException failure = null;
    for (BatchMetadataWrites.CopyWrite w : writes) {
      try {
        written += write(w) ? 1 : 0;
      } catch (BackendRejectedException e) {
        failure = failure == null ? e : failure;
      }
    }
    for (MetadataEvent event : events) {
      publish(event);
    }
    if (failure != null) {
      throw failure;
    }
    return written;
  }

  /** One copy write, atomically for its key; whether it was applied. */
  private boolean write(BatchMetadataWrites.CopyWrite w) {
    MetadataEntry e = w.entry();
    Instant now = clock.instant();
    Stored fresh = new Stored(e, w.ttl() == null ? NEVER : now.plus(w.ttl()));
    boolean[] applied = {true};
    entries.compute(
        e.key(),
        (k, old) -> {
          Stored live = old != null && old.expiresAt().isAfter(now) ? old : null;
          boolean keep =
              switch (w.condition()) {
                case ALWAYS -> false;
                case IF_NEWER -> heldVersion(live) >= e.version();
                case IF_SAME_VERSION -> live == null || heldVersion(live) != e.version();
              };
          if (keep) {
            applied[0] = false;
            return live;
          }
          return fresh;
        });
    return applied[0];
  }

  /**
   * The version of the copy a live key holds, {@link Long#MIN_VALUE} for none; a set's key is
   * rejected as the Redis script's {@code GET} of it is.
   */
  private static long heldVersion(@Nullable Stored live) {
    if (live == null) {
      return Long.MIN_VALUE;
    }
    if (!(live.value() instanceof MetadataEntry held)) {
      throw wrongType("writeAll");
    }
    return held.version();
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

  // ---------------------------------------------------------------- for InMemoryScoredSets

  /**
   * Reads the sorted set a key holds, or gives {@code missing} when the key is absent or expired.
   *
   * @throws BackendRejectedException when the key holds a copy ({@code WRONGTYPE})
   */
  <T> T readSet(String op, String key, Function<ScoredMembers, T> read, T missing) {
    Stored s = live(key, clock.instant());
    if (s == null) {
      return missing;
    }
    if (!(s.value() instanceof ScoredMembers set)) {
      throw wrongType(op);
    }
    return read.apply(set);
  }

  /**
   * Changes the sorted set a key holds, atomically for the key. An absent or expired key is a new,
   * empty set without expiry when {@code create}, else {@code change} is not called and {@code
   * missing} is returned. A set left empty is removed, as Redis removes an empty sorted set.
   *
   * @throws BackendRejectedException when the key holds a copy ({@code WRONGTYPE}); the key is then
   *     unchanged
   */
  <T> T changeSet(
      String op, String key, boolean create, Function<ScoredMembers, T> change, T missing) {
    Instant now = clock.instant();
    List<T> result = new ArrayList<>(1);
    entries.compute(
        key,
        (k, old) -> {
          Stored live = old != null && old.expiresAt().isAfter(now) ? old : null;
          if (live != null && !(live.value() instanceof ScoredMembers)) {
            throw wrongType(op);
          }
          if (live == null && !create) {
            return null; // also purges an expired key
          }
          Stored held = live == null ? new Stored(new ScoredMembers(), NEVER) : live;
          ScoredMembers set = (ScoredMembers) held.value();
          result.add(change.apply(set));
          return set.isEmpty() ? null : held;
        });
    return result.isEmpty() ? missing : result.get(0);
  }

  /** Deletes whatever a key holds ({@code DEL}); whether it held something live. */
  boolean deleteKey(String key) {
    Stored s = entries.remove(key);
    return s != null && s.expiresAt().isAfter(clock.instant());
  }

  void count(String op) {
    calls.computeIfAbsent(op, o -> new LongAdder()).increment();
  }

  void checkOpen() {
    if (closed) {
      throw new BackendUnavailableException(
          "memory", "this in-memory metadata store is closed", null);
    }
  }

  private static BackendRejectedException wrongType(String op) {
    return new BackendRejectedException(
        "memory",
        op
            + " on the in-memory metadata store was rejected: WRONGTYPE Operation against a key"
            + " holding the wrong kind of value",
        null);
  }

  static void checkKey(String key, String field) {
    if (key == null || key.isBlank()) {
      throw new InvalidInputException(field, "a non-blank string", key);
    }
  }

  private static void checkBatch(
      List<BatchMetadataWrites.CopyWrite> writes, List<MetadataEvent> events) {
    if (writes == null) {
      throw new InvalidInputException("writes", "a list (empty for none)", null);
    }
    if (events == null) {
      throw new InvalidInputException("events", "a list (empty for none)", null);
    }
    for (int i = 0; i < writes.size(); i++) {
      BatchMetadataWrites.CopyWrite w = writes.get(i);
      if (w == null) {
        throw new InvalidInputException("writes[" + i + "]", "a copy write", null);
      }
      if (w.ttl() != null) {
        checkTtl(w.ttl());
      }
    }
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i) == null) {
        throw new InvalidInputException("events[" + i + "]", "an event", null);
      }
    }
  }

  private static void checkTtl(Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new InvalidInputException(
          "ttl", "a positive duration", ttl, "pass a time-to-live greater than zero");
    }
  }
}
