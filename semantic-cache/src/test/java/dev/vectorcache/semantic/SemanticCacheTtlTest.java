package dev.vectorcache.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.EntryPayload;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.RetrievedPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * TTL policies on the embedded default, with the metadata store itself (it offers the batch writes
 * that move a copy's expiry only over the same version) and a {@link
 * dev.vectorcache.testkit.MutableClock}.
 */
@DisplayName("SemanticCache TTL policies")
class SemanticCacheTtlTest {
  private static final Scope ACME = Scope.of("tenant", "acme");
  private static final String PROMPT = "paris capital?";
  private static final String SIMILAR = "paris the capital";

  private final Harness h = new Harness(Distance.COSINE, TopicEmbeddings.DIM, false);
  private final SemanticCache cache = h.open();
  private final String key = Prompts.key(ACME, "model-a", PROMPT);

  @AfterEach
  void close() {
    h.close();
  }

  private static Duration mins(long n) {
    return Duration.ofMinutes(n);
  }

  private void put(TtlPolicy ttl) {
    cache.put(ACME, PROMPT, CachedResponse.of("Paris"), PutOptions.builder().ttl(ttl).build());
  }

  private Optional<SemanticHit> exact() {
    return cache.lookup(ACME, PROMPT, LookupOptions.builder().exactOnly(true).build());
  }

  private Optional<SemanticHit> similar() {
    return cache.lookup(ACME, SIMILAR);
  }

  /** The expiry in the vector store's payload. */
  private Instant payloadExpiry() {
    List<RetrievedPoint> points =
        h.vectors
            .retrieve(
                Harness.COLLECTION,
                List.of(h.vectorCache.pointId(key)),
                PayloadSelector.include(EntryPayload.EXPIRES_AT),
                false)
            .join();
    return Instant.ofEpochMilli(
        ((Number) points.get(0).payload().get(EntryPayload.EXPIRES_AT)).longValue());
  }

  /** The metadata-store copy's remaining TTL. */
  private Duration copyTtl() {
    return h.vectorCache.metadataStore().ttl(Harness.COLLECTION + ":" + key).join().orElseThrow();
  }

  private void settle() {
    cache.flushAsync().join();
  }

  @Test
  @DisplayName("the default is absolute, one day")
  void defaultTtl() {
    cache.put(ACME, PROMPT, CachedResponse.of("Paris"));
    assertThat(payloadExpiry()).isEqualTo(Harness.START.plus(Duration.ofDays(1)));
    assertThat(copyTtl()).isEqualTo(Duration.ofDays(1));
  }

  @Test
  @DisplayName(
      "absolute: served until the expiry, by neither tier at or after it; hits move nothing")
  void absolute() {
    put(TtlPolicy.absolute(mins(10)));
    h.clock.advance(mins(9));
    assertThat(exact()).isPresent();
    assertThat(similar()).isPresent();
    settle();
    assertThat(payloadExpiry()).isEqualTo(Harness.START.plus(mins(10)));
    h.clock.advance(mins(1));
    assertThat(exact()).isEmpty();
    assertThat(similar()).isEmpty();
    assertThat(cache.stats().expiryExtensionsQueued()).isZero();
  }

  @Test
  @DisplayName("none: no expiry in either store")
  void none() {
    put(TtlPolicy.none());
    h.clock.advance(Duration.ofDays(3650));
    assertThat(exact()).isPresent();
    assertThat(similar()).isPresent();
    assertThat(copyTtl()).isGreaterThan(Duration.ofDays(365 * 100));
  }

  @Test
  @DisplayName("sliding: a hit moves the expiry in both stores, in the background")
  void sliding() {
    put(TtlPolicy.sliding(mins(10)));
    assertThat(payloadExpiry()).isEqualTo(Harness.START.plus(mins(10)));

    h.clock.advance(mins(6));
    assertThat(exact()).isPresent();
    settle();
    assertThat(payloadExpiry()).isEqualTo(Harness.START.plus(mins(16)));
    assertThat(copyTtl()).isEqualTo(mins(10));
    assertThat(cache.stats().expiryExtended()).isEqualTo(1);

    h.clock.advance(mins(9)); // 15: alive only thanks to the move
    assertThat(similar()).isPresent();
    settle();
    assertThat(payloadExpiry()).isEqualTo(Harness.START.plus(mins(25)));

    h.clock.advance(mins(10)); // 25: no hit since 15
    assertThat(exact()).isEmpty();
    assertThat(similar()).isEmpty();
  }

  @Test
  @DisplayName("sliding without hits expires after one window, in both tiers")
  void slidingWithoutHits() {
    put(TtlPolicy.sliding(mins(10)));
    h.clock.advance(mins(10));
    assertThat(exact()).isEmpty();
    assertThat(similar()).isEmpty();
  }

  @Test
  @DisplayName("sliding with a maximum lifetime: hits keep it alive until the maximum, not after")
  void slidingWithMax() {
    put(TtlPolicy.sliding(mins(10), mins(25)));
    for (int minute = 8; minute < 25; minute += 8) { // hits at 8, 16, 24, of both tiers
      h.clock.set(Harness.START.plus(mins(minute)));
      assertThat(minute == 16 ? similar() : exact()).as("minute %d", minute).isPresent();
      settle();
      Instant expected = Harness.START.plus(mins(Math.min(minute + 10, 25)));
      assertThat(payloadExpiry()).as("minute %d", minute).isEqualTo(expected);
      assertThat(copyTtl())
          .as("minute %d", minute)
          .isEqualTo(Duration.between(h.clock.instant(), expected));
    }
    h.clock.set(Harness.START.plus(mins(25)));
    assertThat(exact()).isEmpty();
    assertThat(similar()).isEmpty();
  }

  @Test
  @DisplayName("a hit that gains less than max(1 s, window / 100) moves nothing")
  void smallMovesSkipped() {
    put(TtlPolicy.sliding(Duration.ofHours(10)));
    h.clock.advance(Duration.ofMinutes(5)); // gains 5 min, under 6 min (1 %)
    assertThat(exact()).isPresent();
    settle();
    assertThat(cache.stats().expiryExtensionsQueued()).isZero();
    assertThat(payloadExpiry()).isEqualTo(Harness.START.plus(Duration.ofHours(10)));
    h.clock.advance(Duration.ofMinutes(2)); // gains 7 min
    assertThat(exact()).isPresent();
    settle();
    assertThat(payloadExpiry()).isEqualTo(Harness.START.plus(Duration.ofMinutes(607)));
  }

  @Test
  @DisplayName("the minimum move: a second, 1 % of long windows, half of windows under 2 s")
  void minimumMove() {
    assertThat(SemanticCache.minimumMove(Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(1));
    assertThat(SemanticCache.minimumMove(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(36));
    assertThat(SemanticCache.minimumMove(Duration.ofMillis(1500)))
        .isEqualTo(Duration.ofMillis(750));
  }

  @Test
  @DisplayName("a copy is served by neither its own TTL nor the payload's past the entry's expiry")
  void copyAndPayloadExpiries() {
    put(TtlPolicy.absolute(mins(10)));
    String copyKey = Harness.COLLECTION + ":" + key;
    // the copy outlives the entry in the metadata store (a store whose clock lags, say)
    h.vectorCache.metadataStore().expire(copyKey, Duration.ofDays(1)).join();
    h.clock.advance(mins(10));
    assertThat(exact()).isEmpty();
    assertThat(similar()).isEmpty();
    assertThat(h.vectorCache.metadataStore().get(copyKey).join()).isPresent();
  }

  @Test
  @DisplayName(
      "a copy that expires first leaves the semantic tier to the payload, until its expiry")
  void copyExpiresFirst() {
    put(TtlPolicy.absolute(mins(10)));
    h.vectorCache.metadataStore().expire(Harness.COLLECTION + ":" + key, mins(4)).join();
    h.clock.advance(mins(4));
    assertThat(exact()).isEmpty();
    assertThat(similar()).map(SemanticHit::tier).contains(Tier.SEMANTIC);
    h.clock.advance(mins(6));
    assertThat(exact()).isEmpty();
    assertThat(similar()).isEmpty();
  }

  @Test
  @DisplayName("policies check their durations")
  void policyChecks() {
    assertThatThrownBy(() -> TtlPolicy.absolute(Duration.ZERO))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("ttl");
    assertThatThrownBy(() -> TtlPolicy.sliding(Duration.ofNanos(10)))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("ttl.window");
    assertThatThrownBy(() -> TtlPolicy.sliding(mins(10), mins(9)))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("ttl.maxLifetime");
    assertThat(TtlPolicy.sliding(mins(10), mins(10)).maxLifetime()).contains(mins(10));
    assertThat(TtlPolicy.sliding(mins(1)))
        .isEqualTo(TtlPolicy.sliding(mins(1)))
        .hasToString("TtlPolicy[sliding PT1M]");
    assertThat(TtlPolicy.none().duration()).isEmpty();
    assertThat(TtlPolicy.absolute(mins(1)).kind()).isEqualTo(TtlPolicy.Kind.ABSOLUTE);
  }
}
