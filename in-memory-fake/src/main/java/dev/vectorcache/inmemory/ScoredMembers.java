package dev.vectorcache.inmemory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One sorted set of {@link InMemoryMetadataStore}, ordered as Redis orders one: by score, ties by
 * member in byte order of the members' UTF-8 encoding (which is code-point order, not {@link
 * String#compareTo}'s UTF-16 order). Scores compare as numbers ({@code -0.0} equals {@code 0.0}).
 * Changed under the store's per-key lock and read without it, so every method is synchronized.
 */
final class ScoredMembers {
  private record Scored(String member, double score) {}

  private static final Comparator<Scored> ORDER =
      (a, b) -> {
        int byScore = a.score() < b.score() ? -1 : a.score() > b.score() ? 1 : 0;
        return byScore != 0 ? byScore : compareMembers(a.member(), b.member());
      };

  private final Map<String, Double> scores = new HashMap<>();
  private final TreeSet<Scored> order = new TreeSet<>(ORDER);

  /** {@code ZADD}: sets a member's score, adding the member when missing. */
  synchronized void set(String member, double score) {
    Double old = scores.put(member, score);
    if (old != null) {
      order.remove(new Scored(member, old));
    }
    order.add(new Scored(member, score));
  }

  /** {@code ZINCRBY}: adds to a member's score (a new member starts at 0); the new score. */
  synchronized double increment(String member, double by) {
    Double old = scores.get(member);
    double score = (old == null ? 0 : old) + by;
    set(member, score);
    return score;
  }

  /** {@code ZCARD}. */
  synchronized long size() {
    return scores.size();
  }

  synchronized boolean isEmpty() {
    return scores.isEmpty();
  }

  /** {@code ZRANGE 0 count-1}: the first {@code count} members, lowest score first. */
  synchronized List<String> lowest(int count) {
    List<String> out = new ArrayList<>(Math.min(count, scores.size()));
    Iterator<Scored> it = order.iterator();
    while (out.size() < count && it.hasNext()) {
      out.add(it.next().member());
    }
    return out;
  }

  /** {@code ZREM}: how many of the members were there. */
  synchronized long remove(Collection<String> members) {
    long removed = 0;
    for (String m : members) {
      Double old = scores.remove(m);
      if (old != null) {
        order.remove(new Scored(m, old));
        removed++;
      }
    }
    return removed;
  }

  /** Compares by code point, as Redis compares the UTF-8 bytes of members. */
  static int compareMembers(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
