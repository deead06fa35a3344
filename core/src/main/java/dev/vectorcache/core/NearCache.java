package dev.vectorcache.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The decoded metadata of recent hits, in this JVM, keyed by cache key and valid for one version
 * (see {@link VectorCacheBuilder#nearCache(int)}). An entry's metadata never changes under one
 * version (a store writes a new version; extending the expiry keeps the metadata), and every hit
 * carries its version from the vector store, so a memo whose version is the hit's is current by the
 * same rule that accepts a metadata-store copy: nothing needs invalidating for correctness.
 *
 * <p>Bounded by entry count: up to 16 stripes (one per 64 entries of the bound), each a
 * least-recently-used map under its own lock holding {@code maxEntries / stripes} entries, so the
 * whole never holds more than {@code maxEntries}; under 128 entries it is one exact LRU map. The
 * bound counts entries, not bytes: metadata of 10 KB and 10,000 entries is about 100 MB of heap.
 */
final class NearCache {
  private static final int MAX_STRIPES = 16;
  private static final int MIN_PER_STRIPE = 64;

  /** The metadata of one version of an entry. */
  private record Memo(long version, Map<String, Object> metadata) {}

  private final Stripe[] stripes;

  /**
   * @param maxEntries 1 or more
   */
  NearCache(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries " + maxEntries);
    }
    int n = Math.max(1, Math.min(MAX_STRIPES, maxEntries / MIN_PER_STRIPE));
    int perStripe = maxEntries / n;
    stripes = new Stripe[n];
    for (int i = 0; i < n; i++) {
      stripes[i] = new Stripe(perStripe);
    }
  }

  /** The metadata remembered for this key at this version, or null. */
  @Nullable Map<String, Object> get(String key, long version) {
    Stripe s = stripe(key);
    s.lock.lock();
    try {
      Memo m = s.map.get(key);
      return m != null && m.version() == version ? m.metadata() : null;
    } finally {
      s.lock.unlock();
    }
  }

  /** Remembers the metadata of this version, replacing any other version of the key. */
  void put(String key, long version, Map<String, Object> metadata) {
    Stripe s = stripe(key);
    s.lock.lock();
    try {
      s.map.put(key, new Memo(version, metadata));
    } finally {
      s.lock.unlock();
    }
  }

  /** Forgets a key (its entry was deleted here; frees the memory, not needed for correctness). */
  void remove(String key) {
    Stripe s = stripe(key);
    s.lock.lock();
    try {
      s.map.remove(key);
    } finally {
      s.lock.unlock();
    }
  }

  /** Forgets everything. */
  void clear() {
    for (Stripe s : stripes) {
      s.lock.lock();
      try {
        s.map.clear();
      } finally {
        s.lock.unlock();
      }
    }
  }

  /** The entries held now. */
  int size() {
    int n = 0;
    for (Stripe s : stripes) {
      s.lock.lock();
      try {
        n += s.map.size();
      } finally {
        s.lock.unlock();
      }
    }
    return n;
  }

  private Stripe stripe(String key) {
    int h = key.hashCode();
    h ^= h >>> 16; // spread the high bits: keys often differ only in their last characters
    return stripes[Math.floorMod(h, stripes.length)];
  }

  /** One least-recently-used map and its lock. */
  private static final class Stripe {
    final ReentrantLock lock = new ReentrantLock();
    final LinkedHashMap<String, Memo> map;

    Stripe(int capacity) {
      this.map =
          new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Memo> eldest) {
              return size() > capacity;
            }
          };
    }
  }
}
