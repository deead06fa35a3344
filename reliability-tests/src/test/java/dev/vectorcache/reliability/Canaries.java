package dev.vectorcache.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * The suite's canary secrets: every Redis server the suite starts requires {@link #REDIS_PASSWORD}
 * and every Qdrant test server {@link #QDRANT_API_KEY}, so that any exception any scenario sees can
 * be searched for them (and the security scenario searches its TRACE log too). Neither is a real
 * credential.
 */
final class Canaries {
  static final String REDIS_PASSWORD = "canary-redis-pw-7f3a9c1e";
  static final String QDRANT_API_KEY = "canary-qdrant-key-51e2d8b4";

  /** Both canaries, and the parts a logger could print alone (a base64 AUTH would not match). */
  static final List<String> ALL = List.of(REDIS_PASSWORD, QDRANT_API_KEY);

  private Canaries() {}

  /** The whole text of a throwable as a log would print it: messages, causes, suppressed. */
  static String fullText(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  /** How many times the canaries occur in {@code text}. */
  static int count(String text) {
    int n = 0;
    for (String c : ALL) {
      for (int i = text.indexOf(c); i >= 0; i = text.indexOf(c, i + 1)) {
        n++;
      }
    }
    return n;
  }

  /** Fails when {@code text} holds a canary. */
  static void assertAbsent(String where, String text) {
    assertThat(count(text)).as("canary secrets in %s:%n%s", where, text).isZero();
  }
}
