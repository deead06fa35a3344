package dev.vectorcache.reliability;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * What the writers of a scenario have done, per key: the last store started, the last one
 * acknowledged, and later stores whose outcome is unknown (they failed). A key belongs to one
 * writer, so its stores are sequential and "the latest acknowledged version" is well defined.
 *
 * <p>Each store is numbered ({@code seq}, unique in the run); its vector and metadata are derived
 * from the number, so a served entry can be checked for integrity and for freshness.
 */
final class Ledger {
  /** One key's history. */
  static final class KeyState {
    volatile long started = -1;
    volatile long acked = -1;
    final Set<Long> unknown = ConcurrentHashMap.newKeySet();

    /**
     * Whether {@code seq} is a version the key may hold now: the acked one or a later failed one.
     */
    boolean allowed(long seq) {
      return seq == acked || (seq > acked && unknown.contains(seq));
    }
  }

  private final long seed;
  private final int dim;
  private final Map<String, KeyState> keys = new ConcurrentHashMap<>();
  private final AtomicReferenceArray<String> ackedKeys;
  private final AtomicInteger ackedCount = new AtomicInteger();

  Ledger(long seed, int dim, int maxKeys) {
    this.seed = seed;
    this.dim = dim;
    this.ackedKeys = new AtomicReferenceArray<>(maxKeys);
  }

  KeyState state(String key) {
    return keys.computeIfAbsent(key, k -> new KeyState());
  }

  Map<String, KeyState> all() {
    return keys;
  }

  /** The vector of store {@code seq}. */
  float[] vector(long seq) {
    return Vecs.of(seed, seq, dim);
  }

  /** The metadata of store {@code seq} of {@code key}. */
  static Map<String, Object> metadata(String key, long seq) {
    return Map.of("key", key, "seq", seq, "check", check(key, seq));
  }

  /** A checksum tying a key to a store number, so that a torn or mixed-up entry shows. */
  static String check(String key, long seq) {
    return Long.toHexString(Objects.hash(key, seq) * 0x9E3779B97F4A7C15L);
  }

  /** Whether {@code metadata} is intact for {@code key}; its seq, or -1 when it is not. */
  static long seqOf(String key, Map<String, Object> metadata) {
    Object seq = metadata.get("seq");
    if (!(seq instanceof Long s)
        || !key.equals(metadata.get("key"))
        || !check(key, s).equals(metadata.get("check"))) {
      return -1;
    }
    return s;
  }

  /** Records a first acknowledgement of {@code key}, so that searchers can pick it. */
  void firstAck(String key) {
    int i = ackedCount.getAndIncrement();
    if (i < ackedKeys.length()) {
      ackedKeys.set(i, key);
    }
  }

  /** An acknowledged key, chosen by {@code r}, or null before the first. */
  @Nullable String pickAcked(int r) {
    int n = Math.min(ackedCount.get(), ackedKeys.length());
    if (n == 0) {
      return null;
    }
    String k = ackedKeys.get(Math.floorMod(r, n));
    return k;
  }
}
