package dev.vectorcache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.CircuitState;
import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.testkit.CallRecorder.FailureMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The exact tier reads a copy without the vector store's version, so it must step aside whenever a
 * copy could be stale: while the metadata store's breaker is open and while an invalidation is
 * pending.
 */
@DisplayName("The exact tier's guards")
class ExactTierGuardsTest {
  private static final Scope ACME = Scope.of("tenant", "acme");

  private final Harness h = new Harness();
  private final SemanticCache cache = h.open();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  @DisplayName("is bypassed while the breaker is open: no GET is sent; the semantic tier answers")
  void breakerOpen() {
    cache.put(ACME, "paris capital?", CachedResponse.of("Paris"));
    for (String operation : new String[] {"get", "getAll"}) {
      h.recordedMetadata
          .recorder()
          .failOn(
              operation,
              FailureMode.FAIL,
              () -> new BackendTimeoutException("redis", "command timed out", null));
    }
    // every metadata read times out; the lookup still answers from the vector store's payload.
    // Write-backs of the payload still succeed in the background, and each success breaks the run
    // of failures: look up until the breaker opens (at the latest on half a window of failures)
    for (int i = 0; i < 20 && h.vectorCache.circuitState() != CircuitState.OPEN; i++) {
      assertThat(cache.lookup(ACME, "paris capital?"))
          .map(SemanticHit::tier)
          .contains(Tier.SEMANTIC);
    }
    assertThat(h.vectorCache.circuitState()).isEqualTo(CircuitState.OPEN);
    h.resetCalls();

    SemanticHit hit = cache.lookup(ACME, "paris capital?").orElseThrow();

    assertThat(hit.tier()).isEqualTo(Tier.SEMANTIC);
    assertThat(hit.response().text()).isEqualTo("Paris");
    assertThat(h.recordedMetadata.recorder().calls("get")).isZero();
    assertThat(h.vectors.recorder().calls("search")).isEqualTo(1);
    assertThat(
            cache.lookup(ACME, "paris capital?", LookupOptions.builder().exactOnly(true).build()))
        .isEmpty();
  }

  @Test
  @DisplayName("is bypassed while an invalidation is pending: a copy left behind is never served")
  void invalidationPending() {
    cache.put(ACME, "paris capital?", CachedResponse.of("Paris"));
    cache.put(ACME, "rome capital?", CachedResponse.of("Rome"));
    // the metadata store answers deletes with an error: the copy stays, the invalidation pends
    h.recordedMetadata
        .recorder()
        .failOn(
            "deleteAll",
            FailureMode.FAIL,
            () -> new BackendException("redis", "ERR the copy could not be deleted", null));
    assertThat(cache.invalidate(ACME, "paris capital?")).isTrue();
    String copy = Harness.COLLECTION + ":" + Prompts.key(ACME, "model-a", "paris capital?");
    assertThat(h.metadataStore.get(copy)).isPresent(); // left behind
    assertThat(h.vectorCache.stats().invalidationsPending()).isEqualTo(1);
    h.resetCalls();

    assertThat(cache.lookup(ACME, "paris capital?")).isEmpty();
    assertThat(cache.lookup(ACME, "rome capital?")).map(SemanticHit::tier).contains(Tier.SEMANTIC);
    assertThat(h.recordedMetadata.recorder().calls("get")).isZero();

    // once the invalidation goes through, the exact tier is back
    h.recordedMetadata.recorder().clearFailures();
    h.vectorCache.copiesTrusted(); // retries the pending invalidation
    h.vectorCache.flushAsync().join();
    org.awaitility.Awaitility.await()
        .until(() -> h.vectorCache.stats().invalidationsPending() == 0);
    assertThat(h.metadataStore.get(copy)).isEmpty();
    assertThat(cache.lookup(ACME, "rome capital?")).map(SemanticHit::tier).contains(Tier.EXACT);
  }

  @Test
  @DisplayName("never serves a copy whose stored scope, model or prompt differs from the lookup's")
  void failsClosedOnForeignCopy() {
    cache.put(ACME, "paris capital?", CachedResponse.of("Paris"));
    String key = Prompts.key(ACME, "model-a", "paris capital?");
    // a copy of the exact key whose fields name another scope (a forged or corrupted entry)
    var forged =
        new dev.vectorcache.core.model.MetadataEntry(
            Harness.COLLECTION + ":" + key,
            java.util.Map.of(
                "sc_scope", Scope.of("tenant", "globex").canonical(),
                "sc_model", "model-a",
                "sc_prompt", "paris capital?",
                "sc_response", "Globex's answer",
                "sc_created", Harness.START.toEpochMilli()),
            h.vectorCache.get(key).orElseThrow().version(),
            null);
    h.metadataStore.put(forged, null);

    // the exact tier refuses it, and so does the semantic tier, whose hit hydrates from it
    assertThat(cache.lookup(ACME, "paris capital?")).isEmpty();
    assertThat(cache.lookup(Scope.of("tenant", "globex"), "paris capital?")).isEmpty();
  }
}
