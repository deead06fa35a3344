package dev.vectorcache.reliability;

import dev.vectorcache.core.Ttl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The seeded generators of the fuzz: keys, vectors, metadata, TTLs, limits and URLs, each mostly
 * valid and often at or past an edge (NaN and infinities, wrong sizes, tiny and huge norms, lone
 * surrogates, newlines, colons, 1 MB keys, deep and huge metadata, malformed URLs).
 */
final class FuzzInputs {
  static final int DIM = 8;

  private final SplittableRandom rnd;

  FuzzInputs(long seed) {
    this.rnd = new SplittableRandom(seed);
  }

  SplittableRandom random() {
    return rnd;
  }

  String key(int n) {
    if (rnd.nextInt(3) != 0) {
      return "key-" + rnd.nextInt(60);
    }
    return switch (rnd.nextInt(20)) {
      case 0 -> null;
      case 1 -> "";
      case 2 -> "   ";
      case 3 -> "x".repeat(1 << 20); // 1 MB
      case 4 -> "k".repeat(1024);
      case 5 -> "k".repeat(1025);
      case 6 -> "é".repeat(513); // 1,026 bytes of UTF-8 in 513 chars
      case 7 -> "user\uD83D"; // an emoji cut in half
      case 8 -> "user\uD83C";
      case 9 -> "user?";
      case 10 -> "a\uDC00b" + n;
      case 11 -> "line\nbreak-" + n;
      case 12 -> "a:b:c-" + n;
      case 13 -> "glob*?[x]-" + n;
      case 14 -> "nul\u0000-" + n;
      case 15 -> "ключ-" + n;
      case 16 -> "\uD83D\uDE42-" + n; // a whole emoji
      case 17 -> " padded " + n;
      case 18 -> "tab\t" + n;
      default -> "key-" + rnd.nextInt(60);
    };
  }

  float[] vector() {
    int kind = rnd.nextInt(3) != 0 ? 99 : rnd.nextInt(12);
    if (kind == 0) {
      return null;
    }
    float[] v = Vecs.unit(rnd, kind == 1 ? DIM - 1 : kind == 2 ? DIM + 1 : kind == 3 ? 0 : DIM);
    switch (kind) {
      case 4 -> v[rnd.nextInt(DIM)] = Float.NaN;
      case 5 -> v[rnd.nextInt(DIM)] = Float.POSITIVE_INFINITY;
      case 6 -> v[rnd.nextInt(DIM)] = Float.NEGATIVE_INFINITY;
      case 7 -> java.util.Arrays.fill(v, 0f);
      case 8 -> scale(v, 1e-30f); // norm far below float precision squared
      case 9 -> scale(v, 1e20f); // squares overflow a float
      case 10 -> scale(v, Float.MIN_VALUE * 4);
      case 11 -> v[0] = Float.MAX_VALUE;
      default -> {}
    }
    return v;
  }

  Map<String, Object> metadata(int n) {
    if (rnd.nextInt(3) != 0) {
      return Map.of("n", (long) n, "text", "value-" + rnd.nextInt(1000));
    }
    return switch (rnd.nextInt(18)) {
      case 0 -> null;
      case 1 -> Map.of();
      case 2 -> nested(31);
      case 3 -> nested(32);
      case 4 -> nested(33);
      case 5 -> nested(64);
      case 6 -> Map.of("big", "b".repeat(10 << 20)); // 10 MB
      case 7 -> Map.of("big", "b".repeat(64 * 1024 - 10));
      case 8 -> Map.of("s", "a\uD800b"); // a lone surrogate in a value
      case 9 -> Map.of("_vc_key", "reserved");
      case 10 -> Map.of("d", Double.NaN);
      case 11 -> Map.of("d", Double.POSITIVE_INFINITY);
      case 12 -> Map.of("o", new Object());
      case 13 -> Map.of("when", java.time.Instant.EPOCH);
      case 14 -> listWithNull();
      case 15 -> Map.of("k.with:odd\nchars", "v", "long", Long.MAX_VALUE, "neg", Long.MIN_VALUE);
      case 16 -> Map.of("emoji", "\uD83D\uDE42", "cyrillic", "значение", "nl", "a\nb");
      case 17 -> Map.of("i", 42, "f", 1.5f, "b", true);
      default -> Map.of("n", (long) n, "text", "value-" + rnd.nextInt(1000));
    };
  }

  private static Map<String, Object> listWithNull() {
    List<Object> list = new ArrayList<>();
    list.add(1L);
    list.add(null);
    list.add("x");
    Map<String, Object> m = new HashMap<>();
    m.put("list", list);
    m.put("nothing", null);
    return m;
  }

  private static Map<String, Object> nested(int depth) {
    Map<String, Object> m = new LinkedHashMap<>(Map.of("leaf", "v"));
    for (int i = 1; i < depth; i++) {
      m = new LinkedHashMap<>(Map.of("n", m));
    }
    return m;
  }

  /** A TTL: null (the default), a {@link Ttl}, or a bad one. */
  Object ttl() {
    if (rnd.nextInt(3) != 0) {
      return Duration.ofMinutes(5 + rnd.nextInt(60));
    }
    return switch (rnd.nextInt(8)) {
      case 0 -> null;
      case 1 -> Duration.ZERO;
      case 2 -> Duration.ofSeconds(-1);
      case 3 -> Duration.ofNanos(1);
      case 4 -> Duration.ofDays(366); // above the default maximum
      case 5 -> Ttl.none();
      case 6 -> Ttl.of(Duration.ofMillis(-5));
      default -> Duration.ofMinutes(5 + rnd.nextInt(60));
    };
  }

  int limit() {
    return switch (rnd.nextInt(10)) {
      case 0 -> 0;
      case 1 -> -1;
      case 2 -> Integer.MAX_VALUE;
      case 3 -> Integer.MIN_VALUE;
      case 4 -> 1000;
      case 5 -> 1001;
      default -> 1 + rnd.nextInt(20);
    };
  }

  Float threshold() {
    return switch (rnd.nextInt(8)) {
      case 0 -> Float.NaN;
      case 1 -> 2f;
      case 2 -> Float.NEGATIVE_INFINITY;
      case 3 -> -1f;
      case 4 -> 0.5f;
      default -> null;
    };
  }

  private static final List<String> BAD_URLS =
      List.of(
          "",
          " ",
          "redis://",
          "redis://:@",
          "redis://127.0.0.1:99999",
          "redis://127.0.0.1:-1",
          "redis://[::1",
          "redis://127.0.0.1/abc",
          "redis://127.0.0.1/99999999999",
          "redis://u:p:q@127.0.0.1",
          "redis://%zz@127.0.0.1",
          "redis://127.0.0.1?timeout=abc",
          "redis://127.0.0.1:6379/0?password=" + Canaries.REDIS_PASSWORD + "&db=x",
          "redis://:" + Canaries.REDIS_PASSWORD + "@[bad",
          "rediss://:" + Canaries.REDIS_PASSWORD + "@127.0.0.1:0",
          "grpc://127.0.0.1:0",
          "grpcs://",
          "http://127.0.0.1:6333/path?api-key=" + Canaries.QDRANT_API_KEY,
          "ftp://127.0.0.1",
          "memory:",
          "memory:name with spaces",
          "\u0000redis://x",
          "redis://\uD83D@127.0.0.1",
          "redis://127.0.0.1:6379\n",
          "//127.0.0.1:6379");

  /** Characters a mutation inserts into a URL. */
  private static final String INSERTED = ":/@?%[]# \u00e9\uD800";

  /** A URL: one of the known bad ones, or a valid one mutated at random. */
  String url() {
    if (rnd.nextBoolean()) {
      return BAD_URLS.get(rnd.nextInt(BAD_URLS.size()));
    }
    String[] valid = {
      "redis://127.0.0.1:6390/1",
      "rediss://default:" + Canaries.REDIS_PASSWORD + "@127.0.0.1:6390",
      "grpc://127.0.0.1:6334",
      "https://127.0.0.1:6333",
      "memory:shared"
    };
    StringBuilder s = new StringBuilder(valid[rnd.nextInt(valid.length)]);
    for (int i = rnd.nextInt(4); i >= 0 && s.length() > 0; i--) {
      int at = rnd.nextInt(s.length());
      switch (rnd.nextInt(3)) {
        case 0 -> s.deleteCharAt(at);
        case 1 -> s.insert(at, INSERTED.charAt(rnd.nextInt(INSERTED.length())));
        default -> s.setCharAt(at, (char) rnd.nextInt(0x80));
      }
    }
    return s.toString();
  }

  private static void scale(float[] v, float f) {
    for (int i = 0; i < v.length; i++) {
      v[i] *= f;
    }
  }
}
