package dev.vectorcache.semantic;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The embeddings of the latest prompts whose lookup missed, so that the {@code put} of the model's
 * answer that usually follows a miss does not call the embedding function again for the same
 * prompt. Keyed by the normalised prompt (the text that was embedded); at most {@value #CAPACITY}
 * prompts, the least recently remembered forgotten first; a {@code put} takes its prompt's vector
 * out. Thread-safe.
 */
final class MissVectors {
  /** How many prompts are remembered at most (for 384 dimensions about 400 KB of vectors). */
  static final int CAPACITY = 256;

  private final Map<String, float[]> vectors =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
          return size() > CAPACITY;
        }
      };

  /** Remembers the vector of a prompt whose lookup missed. */
  synchronized void remember(String prompt, float[] vector) {
    vectors.put(prompt, vector);
  }

  /** The vector of a prompt that missed, taken out; null when it is not remembered. */
  synchronized float @Nullable [] take(String prompt) {
    return vectors.remove(prompt);
  }

  /** Forgets everything (the cache closed or was cleared). */
  synchronized void clear() {
    vectors.clear();
  }
}
