package dev.vectorcache.cli;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A small, deterministic <b>demo</b> embedder: it turns text into a vector by feature hashing, so
 * that the CLI's demo and {@code search --text} work with no model and no network. Real
 * applications bring their own embedding model; this one knows nothing of meaning, only of shared
 * words and word pieces.
 *
 * <p>Features: each word (lower-cased, stop words dropped, a plural {@code -s} trimmed) with weight
 * 1, and each character trigram of the word padded with {@code #} (so {@code star} gives {@code
 * #st}, {@code sta}, {@code tar}, {@code ar#}) with weight {@value #TRIGRAM_WEIGHT}, so that
 * variants such as "galaxy"/"galaxies" still overlap. Each feature is hashed (64-bit FNV-1a, then a
 * mixing step) to one of {@code dimension} slots with a hashed sign, which keeps collisions
 * unbiased; the sum is L2-normalised. The same text always gives the same vector, on every JVM.
 */
public final class HashingEmbedder {
  /** The dimension of the demo collections. */
  public static final int DEFAULT_DIMENSION = 384;

  /** The smallest dimension it embeds into: fewer slots would collide on nearly every word. */
  static final int MIN_DIMENSION = 8;

  static final double TRIGRAM_WEIGHT = 0.4;

  private static final Set<String> STOP_WORDS =
      Set.of(
          "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "do", "does",
          "for", "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its",
          "me", "my", "of", "on", "or", "our", "so", "that", "the", "their", "them", "then",
          "there", "these", "they", "this", "to", "too", "was", "we", "were", "what", "when",
          "where", "which", "who", "why", "will", "with", "you", "your", "about", "very", "just",
          "some", "any", "all", "more", "most", "than", "also", "up", "out", "not", "no", "one");

  private final int dimension;

  public HashingEmbedder() {
    this(DEFAULT_DIMENSION);
  }

  public HashingEmbedder(int dimension) {
    if (dimension < MIN_DIMENSION) {
      throw new IllegalArgumentException(
          "HashingEmbedder dimension: expected 8 or more, found " + dimension);
    }
    this.dimension = dimension;
  }

  public int dimension() {
    return dimension;
  }

  /**
   * The unit-length embedding of {@code text}.
   *
   * @throws IllegalArgumentException when the text holds no letters or digits
   */
  public float[] embed(String text) {
    List<String> words = words(text, true);
    if (words.isEmpty()) {
      // a text of stop words only ("how are you") still deserves a vector
      words = words(text, false);
    }
    if (words.isEmpty()) {
      throw new IllegalArgumentException(
          "text to embed: expected some letters or digits, found \"" + text + "\"");
    }
    double[] acc = new double[dimension];
    for (String w : words) {
      add(acc, "w:" + w, 1.0);
      String padded = "#" + w + "#";
      for (int i = 0; i + 3 <= padded.length(); i++) {
        add(acc, "c:" + padded.substring(i, i + 3), TRIGRAM_WEIGHT);
      }
    }
    double norm = 0;
    for (double v : acc) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    float[] out = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      out[i] = (float) (acc[i] / norm);
    }
    return out;
  }

  /** The words of {@code text} as the embedder sees them; for tests and for curious readers. */
  static List<String> words(String text, boolean dropStopWords) {
    String t = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFKD);
    t = t.replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    for (String raw : t.split("[^\\p{L}\\p{N}]+", -1)) {
      if (raw.isEmpty() || (dropStopWords && STOP_WORDS.contains(raw))) {
        continue;
      }
      out.add(stem(raw));
    }
    return out;
  }

  private static String stem(String w) {
    if (w.length() > 4 && w.endsWith("ies")) {
      return w.substring(0, w.length() - 3) + "y";
    }
    if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us")) {
      return w.substring(0, w.length() - 1);
    }
    return w;
  }

  private void add(double[] acc, String feature, double weight) {
    long h = mix(fnv1a(feature));
    int slot = (int) Math.floorMod(h, (long) dimension);
    acc[slot] += (h >>> 63) == 0 ? weight : -weight;
  }

  private static long fnv1a(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** The finaliser of SplitMix64: spreads FNV's weak low bits over the whole word. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
